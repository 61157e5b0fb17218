package dev.recsys.core.checkpoint;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.recsys.core.PopularityScorer;
import dev.recsys.core.UserHistory;
import dev.recsys.core.neighbours.ItemNeighbours;
import dev.recsys.core.sasrec.ModelFolder;
import dev.recsys.core.sasrec.OptimizerState;
import dev.recsys.core.sasrec.SasRecConfig;
import dev.recsys.core.sasrec.SasRecModel;

/**
 * {@link CheckpointImage} as named blobs and small metadata values, the shape a checkpoint store keeps. Binary
 * where it is large or holds ids (histories, vocabulary, weights, optimizer), text where a person may want
 * to look (config). Each blob starts with a format tag so that a wrong file fails loudly. Every id is
 * length-prefixed (modified UTF-8, as {@link DataOutputStream#writeUTF} writes it), so any Java string a
 * validator let in, newlines and lone surrogates included, reads back as it was; ids are capped far below
 * its 65,535-byte limit where they enter.
 */
public final class CheckpointImageCodec {

    /** Histories with every entry written as its id: still read. */
    private static final int HISTORIES = 0x48495331; // "HIS1"
    /** Histories with each id written once per blob and entries as their number in it. */
    private static final int NUMBERED_HISTORIES = 0x48495332; // "HIS2"
    private static final int POPULARITY = 0x504f5031; // "POP1"
    private static final int OPTIMIZER = 0x4f505431; // "OPT1"
    private static final int VOCABULARY = 0x564f4331; // "VOC1"
    private static final String TABLE_SUFFIX = ".table.bin";
    private static final String OFFSET = "offset.";
    private static final String WHOLE_HISTORIES = "histories.bin";
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("histories\\.p(\\d{1,9})\\.bin");
    /** Metadata: how many partition parts the histories are split into (absent: one blob for all). */
    private static final String PARTITIONS = "histories.partitions";
    private static final String FITTED_THROUGH = "training.fitted-through-millis";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointImageCodec() {
    }

    /**
     * How users' histories are split: one part per feedback partition, each user in the part of the partition
     * its events are keyed to. {@link #WHOLE}: one part for every user (no partitions known).
     */
    public record Split(int partitions, ToIntFunction<String> partitionOf) {

        public static final Split WHOLE = new Split(0, user -> 0);

        public Split {
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must not be negative, was " + partitions);
            }
        }
    }

    /** The blobs and the metadata of a checkpoint of {@code state}, its histories in one part. */
    public static Encoded encode(CheckpointImage state) {
        return encode(state, Split.WHOLE);
    }

    /**
     * The blobs and the metadata of a checkpoint of {@code state}: users' histories one blob per partition of
     * {@code split} (a serving shard taking a partition over reads its part and the item part only, not every
     * user), everything else (vocabulary, model, tables, popularity, event ids, catalogue) the item part.
     */
    public static Encoded encode(CheckpointImage state, Split split) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        blobs.put("vocabulary.bin", bytes(out -> writeVocabulary(state.vocabulary(), out)));
        if (split.partitions() == 0) {
            blobs.put(WHOLE_HISTORIES, bytes(out -> writeHistories(state.histories(), out)));
        } else {
            List<SortedMap<String, UserHistory.Image>> parts = new ArrayList<>();
            for (int p = 0; p < split.partitions(); p++) {
                parts.add(new TreeMap<>());
            }
            state.histories().forEach((user, history) -> parts.get(partOf(split, user)).put(user, history));
            for (int p = 0; p < split.partitions(); p++) {
                SortedMap<String, UserHistory.Image> part = parts.get(p);
                // Every partition has its part, empty or not: a reader tells "no users" from "not split so".
                blobs.put(historyPart(p), bytes(out -> writeHistories(part, out)));
            }
            meta.put(PARTITIONS, Integer.toString(split.partitions()));
        }
        blobs.put("popularity.bin", bytes(out -> writePopularity(state.popularity(), out)));
        state.itemTables().forEach((name, table) -> blobs.put(name + TABLE_SUFFIX, ItemTableBlob.write(table)));
        blobs.put(EventIdsBlob.NAME, EventIdsBlob.write(state.eventIds()));
        blobs.put(ForgottenBlob.NAME, ForgottenBlob.write(state.forgotten()));
        state.catalogue().ifPresent(c -> blobs.put(CatalogueBlob.NAME, CatalogueBlob.write(c)));
        state.nextOffsets().forEach((p, o) -> meta.put(OFFSET + p, Long.toString(o)));
        meta.put("events", Long.toString(state.eventsApplied()));
        meta.put("users", Integer.toString(state.histories().size()));
        meta.put("items", Integer.toString(state.vocabulary().size()));
        state.model().ifPresent(m -> {
            blobs.put("config.json", bytes(out -> out.write(JSON.writeValueAsBytes(m.config()))));
            blobs.put("weights.bin", bytes(out -> ModelFolder.writeWeights(m.weights(), out)));
            m.optimizer().ifPresent(o -> blobs.put("optimizer.bin", bytes(out -> writeOptimizer(o, out))));
            meta.put("training.steps", Long.toString(m.trainingSteps()));
            meta.put("training.starting-rows", Integer.toString(m.startingRows()));
            if (m.fittedThroughMillis() != ModelFolder.UNKNOWN) {
                meta.put(FITTED_THROUGH, Long.toString(m.fittedThroughMillis()));
            }
        });
        return new Encoded(blobs, meta);
    }

    /** Reads back what {@link #encode} made; blobs were already checked against their manifest. */
    public static CheckpointImage decode(Map<String, byte[]> blobs, Map<String, String> meta) {
        try {
            List<String> vocabulary = readVocabulary(blobs);
            Map<Integer, Long> offsets = new TreeMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith(OFFSET)) {
                    offsets.put(Integer.parseInt(k.substring(OFFSET.length())), Long.parseLong(v));
                }
            });
            Optional<CheckpointImage.ModelState> model = Optional.empty();
            if (blobs.containsKey("weights.bin")) {
                SasRecConfig config = JSON.readValue(blobs.get("config.json"), SasRecConfig.class);
                SasRecModel.Weights weights = ModelFolder.readWeights(
                        new ByteArrayInputStream(blobs.get("weights.bin")), "weights.bin");
                Optional<OptimizerState> optimizer = Optional.ofNullable(blobs.get("optimizer.bin"))
                        .map(CheckpointImageCodec::readOptimizer);
                model = Optional.of(new CheckpointImage.ModelState(config, weights, optimizer,
                        Long.parseLong(meta.getOrDefault("training.steps", "0")),
                        Integer.parseInt(meta.getOrDefault("training.starting-rows", "0")),
                        meta.containsKey(FITTED_THROUGH) ? Long.parseLong(meta.get(FITTED_THROUGH))
                                : ModelFolder.UNKNOWN));
            }
            Map<String, ItemNeighbours.Image> tables = new TreeMap<>();
            for (var blob : blobs.entrySet()) {
                if (blob.getKey().endsWith(TABLE_SUFFIX)) {
                    String name = blob.getKey().substring(0, blob.getKey().length() - TABLE_SUFFIX.length());
                    tables.put(name, ItemTableBlob.read(blob.getValue(), blob.getKey()));
                }
            }
            return new CheckpointImage(vocabulary, readHistoryParts(blobs),
                    readPopularity(blobs.get("popularity.bin")), offsets,
                    Long.parseLong(meta.getOrDefault("events", "0")), model, tables,
                    EventIdsBlob.read(blobs.get(EventIdsBlob.NAME)), ForgottenBlob.read(blobs.get(ForgottenBlob.NAME)),
                    CatalogueBlob.read(blobs.get(CatalogueBlob.NAME)));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint not decodable: " + e.getMessage(), e);
        }
    }

    /** A checkpoint's parts: blobs by name and metadata values. */
    public record Encoded(Map<String, byte[]> blobs, Map<String, String> metadata) {
    }

    private static void writeVocabulary(List<String> vocabulary, DataOutputStream out) throws IOException {
        out.writeInt(VOCABULARY);
        writeStrings(vocabulary, out);
    }

    /**
     * The vocabulary in row order. Checkpoints before {@code vocabulary.bin} kept it as newline-joined UTF-8
     * text; that still reads, unless an id in it held a newline or a lone surrogate, which would have moved
     * every later row: such a file is refused rather than restored misaligned.
     */
    private static List<String> readVocabulary(Map<String, byte[]> blobs) throws IOException {
        byte[] binary = blobs.get("vocabulary.bin");
        if (binary != null) {
            return readStrings(input(binary, VOCABULARY, "vocabulary.bin"));
        }
        byte[] text = blobs.get("vocabulary.txt");
        if (text == null) {
            throw new IOException("checkpoint has no vocabulary.bin (nor the older vocabulary.txt)");
        }
        String joined = new String(text, java.nio.charset.StandardCharsets.UTF_8);
        List<String> vocabulary = joined.isEmpty() ? List.of() : List.of(joined.split("\n", -1));
        if (joined.indexOf('\uFFFD') >= 0 || joined.indexOf('\r') >= 0 || vocabulary.stream().anyMatch(String::isEmpty)) {
            throw new IOException("vocabulary.txt (an older checkpoint format) holds an id that newline-joined "
                    + "text cannot keep (an empty id, a newline or an invalid character); its rows may be "
                    + "misaligned, so it is not restored: start from an older checkpoint or from the log");
        }
        return vocabulary;
    }

    /**
     * Each id once, in order of first use, then every user's entries as their number among them (unsigned
     * varints): a few bytes an entry where an id written out costs its length, and a restore shares one
     * string per id.
     */
    private static void writeHistories(SortedMap<String, UserHistory.Image> histories, DataOutputStream out)
            throws IOException {
        Map<String, Integer> numbers = new java.util.HashMap<>();
        List<String> ids = new ArrayList<>();
        for (UserHistory.Image h : histories.values()) {
            for (List<String> entries : List.of(h.sequence(), h.seen(), h.rejected())) {
                for (String id : entries) {
                    if (numbers.putIfAbsent(id, ids.size()) == null) {
                        ids.add(id);
                    }
                }
            }
        }
        out.writeInt(NUMBERED_HISTORIES);
        out.writeInt(ids.size());
        for (String id : ids) {
            out.writeUTF(id);
        }
        out.writeInt(histories.size());
        for (var e : histories.entrySet()) {
            out.writeUTF(e.getKey());
            for (List<String> entries : List.of(e.getValue().sequence(), e.getValue().seen(), e.getValue().rejected())) {
                writeVarint(entries.size(), out);
                for (String id : entries) {
                    writeVarint(numbers.get(id), out);
                }
            }
            out.writeLong(e.getValue().events());
        }
    }

    /** The histories of every part read (a reader may have taken some partitions' parts only, or none). */
    private static SortedMap<String, UserHistory.Image> readHistoryParts(Map<String, byte[]> blobs)
            throws IOException {
        SortedMap<String, UserHistory.Image> out = new TreeMap<>();
        for (var blob : blobs.entrySet()) {
            if (isHistories(blob.getKey())) {
                out.putAll(readHistories(blob.getValue(), blob.getKey()));
            }
        }
        return out;
    }

    /** Whether a blob holds users' histories (the whole of them, or one partition's part). */
    public static boolean isHistories(String blob) {
        return blob.equals(WHOLE_HISTORIES) || PART.matcher(blob).matches();
    }

    /**
     * The item part of a checkpoint holding {@code blobs}: every blob but users' histories (what a follower
     * of the model and tables reads). A checkpoint written before item tables were kept rebuilds them from
     * the histories, so there every blob is read.
     */
    public static Predicate<String> itemPart(java.util.Collection<String> blobs) {
        boolean tablesKept = blobs.stream().anyMatch(b -> b.endsWith(TABLE_SUFFIX));
        return blob -> !tablesKept || !isHistories(blob);
    }

    /**
     * The blobs a serving shard taking {@code partitions} over reads from a checkpoint with metadata
     * {@code meta}: the item part and those partitions' histories. A checkpoint not split {@code partitions}'
     * way (written whole, or when the topic had another partition count) gives every history to filter.
     */
    public static Predicate<String> partitionsAndItems(Map<String, String> meta, Set<Integer> partitions,
            int partitionCount) {
        boolean split = Integer.toString(partitionCount).equals(meta.get(PARTITIONS));
        return blob -> {
            if (!isHistories(blob)) {
                return true;
            }
            var m = PART.matcher(blob);
            return !split || (m.matches() && partitions.contains(Integer.parseInt(m.group(1))));
        };
    }

    private static String historyPart(int partition) {
        return "histories.p" + partition + ".bin";
    }

    private static int partOf(Split split, String user) {
        int p = split.partitionOf().applyAsInt(user);
        if (p < 0 || p >= split.partitions()) {
            throw new IllegalArgumentException("user partition " + p + " outside 0.." + (split.partitions() - 1));
        }
        return p;
    }

    private static SortedMap<String, UserHistory.Image> readHistories(byte[] data, String name) throws IOException {
        if (data == null) {
            throw new IOException("checkpoint has no " + name);
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(data), 1 << 16));
        int tag = in.readInt();
        SortedMap<String, UserHistory.Image> out = new TreeMap<>();
        if (tag == HISTORIES) {
            int users = in.readInt();
            for (int u = 0; u < users; u++) {
                String user = in.readUTF();
                out.put(user, new UserHistory.Image(readStrings(in), readStrings(in), readStrings(in), in.readLong()));
            }
            return out;
        }
        if (tag != NUMBERED_HISTORIES) {
            throw new IOException(name + " is not in the expected format");
        }
        int count = in.readInt();
        if (count < 0) {
            throw new IOException(name + ": negative id count");
        }
        List<String> ids = new ArrayList<>(Math.min(count, 1 << 20));
        for (int i = 0; i < count; i++) {
            ids.add(in.readUTF());
        }
        int users = in.readInt();
        for (int u = 0; u < users; u++) {
            String user = in.readUTF();
            List<String> sequence = readNumbered(in, ids, name);
            List<String> seen = readNumbered(in, ids, name);
            List<String> rejected = readNumbered(in, ids, name);
            out.put(user, new UserHistory.Image(sequence, seen, rejected, in.readLong()));
        }
        return out;
    }

    private static void writePopularity(PopularityScorer.Image p, DataOutputStream out) throws IOException {
        out.writeInt(POPULARITY);
        out.writeLong(p.anchor());
        out.writeLong(p.newest());
        out.writeLong(p.events());
        out.writeInt(p.masses().size());
        for (var e : p.masses().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
    }

    private static PopularityScorer.Image readPopularity(byte[] data) throws IOException {
        DataInputStream in = input(data, POPULARITY, "popularity.bin");
        long anchor = in.readLong();
        long newest = in.readLong();
        long events = in.readLong();
        SortedMap<String, Double> masses = new TreeMap<>();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            masses.put(in.readUTF(), in.readDouble());
        }
        return new PopularityScorer.Image(masses, anchor, newest, events);
    }

    private static void writeOptimizer(OptimizerState o, DataOutputStream out) throws IOException {
        out.writeInt(OPTIMIZER);
        out.writeLong(o.steps());
        out.writeInt(o.moments().size());
        for (var e : o.moments().entrySet()) {
            out.writeUTF(e.getKey());
            for (float[] moment : e.getValue()) {
                out.writeInt(moment.length);
                for (float f : moment) {
                    out.writeFloat(f);
                }
            }
        }
    }

    private static OptimizerState readOptimizer(byte[] data) {
        try {
            DataInputStream in = input(data, OPTIMIZER, "optimizer.bin");
            long steps = in.readLong();
            Map<String, float[][]> moments = new LinkedHashMap<>();
            int n = in.readInt();
            for (int p = 0; p < n; p++) {
                String name = in.readUTF();
                float[][] mv = new float[2][];
                for (int m = 0; m < 2; m++) {
                    mv[m] = new float[in.readInt()];
                    for (int i = 0; i < mv[m].length; i++) {
                        mv[m][i] = in.readFloat();
                    }
                }
                moments.put(name, mv);
            }
            return new OptimizerState(steps, moments);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readNumbered(DataInputStream in, List<String> ids, String name) throws IOException {
        int n = readVarint(in);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            int number = readVarint(in);
            if (number >= ids.size()) {
                throw new IOException(name + ": entry number " + number + " past the " + ids.size() + " ids");
            }
            out[i] = ids.get(number);
        }
        return List.of(out);
    }

    /** An unsigned int in 7-bit groups, low first (1 byte below 128, 2 below 16,384). */
    static void writeVarint(int value, DataOutputStream out) throws IOException {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    static int readVarint(DataInputStream in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    throw new IOException("a count or number past 2^31 in a checkpoint blob");
                }
                return value;
            }
        }
        throw new IOException("a varint longer than 5 bytes in a checkpoint blob");
    }

    private static void writeStrings(List<String> strings, DataOutputStream out) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            out.writeUTF(s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return List.copyOf(out);
    }

    static DataInputStream input(byte[] data, int tag, String name) throws IOException {
        if (data == null) {
            throw new IOException("checkpoint has no " + name);
        }
        DataInputStream in = new DataInputStream(new BufferedInputStream(new ByteArrayInputStream(data), 1 << 16));
        if (in.readInt() != tag) {
            throw new IOException(name + " is not in the expected format");
        }
        return in;
    }

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    static byte[] bytes(Writer writer) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(buffer, 1 << 16));
            writer.write(out);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
