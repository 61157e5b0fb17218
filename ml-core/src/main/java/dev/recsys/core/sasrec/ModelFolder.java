package dev.recsys.core.sasrec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.core.ItemVocabulary;

/**
 * A trained model on local disk: {@code config.json}, {@code vocabulary.txt} (item ids in row order, row 1
 * first), {@code weights.bin} (each parameter's name, shape and float32 values) and, when known,
 * {@code fitted.json} (the newest event time it was trained on). Loading gives a model whose scores are
 * identical to the saved one's.
 */
public final class ModelFolder {

    /** "SAS2": weights for the model that scales item embeddings by sqrt(dim) on input. */
    private static final int MAGIC = 0x53415332;
    /** "SASR": weights trained without that scaling, which this model would score wrongly. */
    private static final int UNSCALED_MAGIC = 0x53415352;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFolder() {
    }

    /** @param fittedThroughMillis the newest event time it was trained on, {@link #UNKNOWN} when not saved */
    public record Loaded(SasRecModel model, ItemVocabulary vocabulary, long fittedThroughMillis) {
    }

    /** The fit's newest event time when nobody recorded it (folders saved before it was kept). */
    public static final long UNKNOWN = Long.MIN_VALUE;
    private static final String FITTED = "fitted.json";

    public static void save(Path dir, SasRecModel model, ItemVocabulary vocabulary) throws IOException {
        save(dir, model.config(), model.weights(), vocabulary, UNKNOWN);
    }

    /** @param fittedThroughMillis the newest event time (epoch milliseconds) among those it was trained on */
    public static void save(Path dir, SasRecModel model, ItemVocabulary vocabulary, long fittedThroughMillis)
            throws IOException {
        save(dir, model.config(), model.weights(), vocabulary, fittedThroughMillis);
    }

    /** Writes weights without a live model (no engine needed); the fit's newest event time {@link #UNKNOWN}. */
    public static void save(Path dir, SasRecConfig config, SasRecModel.Weights w, ItemVocabulary vocabulary)
            throws IOException {
        save(dir, config, w, vocabulary, UNKNOWN);
    }

    /** Writes weights without a live model (no engine needed). */
    public static void save(Path dir, SasRecConfig config, SasRecModel.Weights w, ItemVocabulary vocabulary,
            long fittedThroughMillis) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        Files.write(dir.resolve("vocabulary.txt"), vocabulary.items(), StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(dir.resolve("weights.bin"))) {
            writeWeights(w, out);
        }
        if (fittedThroughMillis != UNKNOWN) {
            JSON.writeValue(dir.resolve(FITTED).toFile(), Map.of("fittedThroughMillis", fittedThroughMillis));
        } else {
            // A folder saved over keeps no claim about a fit it no longer holds.
            Files.deleteIfExists(dir.resolve(FITTED));
        }
    }

    public static Loaded load(Path dir) throws IOException {
        SasRecConfig config = JSON.readValue(dir.resolve("config.json").toFile(), SasRecConfig.class);
        List<String> items = Files.readAllLines(dir.resolve("vocabulary.txt"), StandardCharsets.UTF_8);
        SasRecModel.Weights weights;
        try (InputStream in = Files.newInputStream(dir.resolve("weights.bin"))) {
            weights = readWeights(in, dir.resolve("weights.bin").toString());
        }
        Map<String, long[]> shapes = weights.shapes();
        if (shapes.get("items")[0] != items.size() + 1) {
            throw new IOException("checkpoint in " + dir + " has " + shapes.get("items")[0]
                    + " item rows but " + items.size() + " vocabulary entries");
        }
        long fittedThrough = UNKNOWN;
        if (Files.exists(dir.resolve(FITTED))) {
            var node = JSON.readTree(dir.resolve(FITTED).toFile()).get("fittedThroughMillis");
            if (node == null || !node.canConvertToLong()) {
                throw new IOException(dir.resolve(FITTED) + " has no whole-number fittedThroughMillis");
            }
            fittedThrough = node.asLong();
        }
        return new Loaded(SasRecModel.of(config, weights), ItemVocabulary.of(items), fittedThrough);
    }

    /** Each parameter's name, shape and float32 values (the {@code weights.bin} format). */
    public static void writeWeights(SasRecModel.Weights w, OutputStream target) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(w.values().size());
        for (var e : w.values().entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = w.shapes().get(e.getKey());
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            out.writeInt(e.getValue().length);
            for (float f : e.getValue()) {
                out.writeFloat(f);
            }
        }
        out.flush();
    }

    /** Reads what {@link #writeWeights} wrote; {@code source} names it in errors. */
    public static SasRecModel.Weights readWeights(InputStream source, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(source, 1 << 16));
        int magic = in.readInt();
        if (magic == UNSCALED_MAGIC) {
            throw new IOException(name + " holds weights trained before item embeddings were scaled by sqrt(dim) "
                    + "on input; this model would score them wrongly: train it again (bin/evaluate --save-model)");
        }
        if (magic != MAGIC) {
            throw new IOException(name + " is not a SASRec weights file");
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        int count = in.readInt();
        for (int p = 0; p < count; p++) {
            String param = in.readUTF();
            long[] shape = new long[in.readInt()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = in.readLong();
            }
            float[] v = new float[in.readInt()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            values.put(param, v);
            shapes.put(param, shape);
        }
        return new SasRecModel.Weights(values, shapes);
    }
}
