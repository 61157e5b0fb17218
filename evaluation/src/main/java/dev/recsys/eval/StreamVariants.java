package dev.recsys.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.recsys.core.ItemVocabulary;
import dev.recsys.core.PopularityScorer;
import dev.recsys.core.Scorer;
import dev.recsys.core.neighbours.ItemTables;
import dev.recsys.core.neighbours.NeighbourScorer;
import dev.recsys.core.neighbours.Votes;
import dev.recsys.core.recommender.PredictionProbe;
import dev.recsys.core.sasrec.BlendGate;
import dev.recsys.core.sasrec.BlendProbe;
import dev.recsys.core.sasrec.NeighbourBlend;
import dev.recsys.core.sasrec.SasRecScorer;
import dev.recsys.core.sasrec.ScoringBackend;
import dev.recsys.core.sasrec.ServingModel;

/**
 * {@code bin/stream-replay}'s variants by name, all reading one shared state: the online tables and
 * popularity, the table as the warm part left it, and the frozen, online and re-fitted models. A learnt
 * blend's gate is taught by a probe of its own; {@link #probes()} offers each sampled event to every probe.
 */
final class StreamVariants {

    /** A learnt gate's settings: W[zE][dD]. */
    private static final Pattern GATE = Pattern.compile("([0-9.]+)(?:z([0-9.]+))?(?:d([0-9.eE-]+))?");

    private final PopularityScorer popularity;
    private final ItemTables tables;
    private final NeighbourScorer cooccurrence;
    private final NeighbourScorer markov;
    private final NeighbourScorer warmCooccurrence;
    private final ServingModel frozen;
    private final ServingModel online;
    private final ServingModel refitted;
    private final ItemVocabulary vocabulary;
    /** The newest event time the warm model was fitted on: older events are no evidence for a gate. */
    private final long fittedThroughMillis;
    private final List<BlendProbe> probes = new ArrayList<>();
    private final List<BlendGate> gates = new ArrayList<>();

    StreamVariants(PopularityScorer popularity, ItemTables tables, NeighbourScorer warmCooccurrence,
            ServingModel frozen, ServingModel online, ServingModel refitted, ItemVocabulary vocabulary,
            long fittedThroughMillis) {
        this.popularity = popularity;
        this.tables = tables;
        this.cooccurrence = NeighbourScorer.cooccurrence(tables.cooccurrence(), popularity);
        this.markov = NeighbourScorer.markovChain(tables.markov(), popularity);
        this.warmCooccurrence = warmCooccurrence;
        this.frozen = frozen;
        this.online = online;
        this.refitted = refitted;
        this.vocabulary = vocabulary;
        this.fittedThroughMillis = fittedThroughMillis;
    }

    /**
     * @param v popularity, markov, cooccurrence, cooccurrence/N (the N newest items vote), cooccurrence-warm,
     *          or frozen, online, refit, each optionally +W (the table's share fixed at W), ~W (learnt from W per
     *          band of history length, as the worker does) or @W (learnt from W, one share for every history);
     *          a learnt W may go on with zE (a share is taken on E standard errors of lead over the table; 0
     *          the best record) and dD (the record's decay), the worker's defaults when absent
     */
    Scorer scorer(String v) {
        if (v.equals("cooccurrence-warm")) {
            return warmCooccurrence;
        }
        if (v.startsWith("cooccurrence/")) {
            return new NeighbourScorer("cooccurrence", tables.cooccurrence(), Integer.parseInt(v.substring(13)),
                    popularity);
        }
        boolean learnt = v.contains("~") || v.contains("@");
        boolean banded = v.contains("~");
        String[] parts = v.split("[+~@]");
        return switch (parts[0]) {
            case "popularity" -> popularity;
            case "markov" -> markov;
            case "cooccurrence" -> cooccurrence;
            case "frozen", "online", "refit" -> {
                ServingModel serving = switch (parts[0]) {
                    case "frozen" -> frozen;
                    case "online" -> online;
                    default -> refitted;
                };
                NeighbourBlend blend = parts.length == 1 ? null : new NeighbourBlend(cooccurrence, learnt
                        ? gate(parts[1], banded, serving)
                        : BlendGate.fixed(Double.parseDouble(parts[1])));
                yield new SasRecScorer(serving, vocabulary, blend == null ? popularity : cooccurrence,
                        ScoringBackend.PYTORCH, blend);
            }
            default -> throw new IllegalArgumentException("unknown variant " + v);
        };
    }

    /** A learnt gate from {@code W[zE][dD]}: starting share W, evidence E, decay D (the worker's defaults). */
    private BlendGate gate(String spec, boolean banded, ServingModel serving) {
        Matcher m = GATE.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("a learnt share is W[zE][dD], was " + spec);
        }
        double initial = Double.parseDouble(m.group(1));
        double evidence = m.group(2) == null ? BlendGate.DEFAULT_EVIDENCE : Double.parseDouble(m.group(2));
        double decay = m.group(3) == null ? BlendGate.DEFAULT_DECAY : Double.parseDouble(m.group(3));
        BlendGate gate = banded ? BlendGate.byHistoryLength(initial, decay, evidence)
                : new BlendGate(initial, decay, new int[] { Integer.MAX_VALUE }, evidence);
        gates.add(gate);
        probes.add(new BlendProbe(gate, serving, vocabulary, ScoringBackend.PYTORCH, 200, fittedThroughMillis).start());
        return gate;
    }

    /** Offers a sampled event (one every 5 ms at most, none the warm model was fitted on) to every learnt gate's probe. */
    PredictionProbe probes() {
        return new PredictionProbe() {
            private long last = System.nanoTime();

            @Override
            public boolean wantsSample(long eventTimeMillis) {
                long now = System.nanoTime();
                if (probes.isEmpty() || eventTimeMillis <= fittedThroughMillis || now - last < 5_000_000) {
                    return false;
                }
                last = now;
                return true;
            }

            @Override
            public void offer(List<String> before, String item, Votes tableDistribution, int tableRank) {
                probes.forEach(p -> p.offer(before, item, tableDistribution, tableRank));
            }
        };
    }

    void printGates() {
        for (int p = 0; p < gates.size(); p++) {
            BlendGate g = gates.get(p);
            StringBuilder bands = new StringBuilder();
            for (int b = 0; g.bands() > 1 && b < g.bands(); b++) {
                bands.append(String.format(Locale.ROOT, "%s %s: %.2f", b == 0 ? "; by history length" : ",",
                        BlendGate.BAND_NAMES[b], g.bandWeight(b)));
            }
            System.out.printf(Locale.ROOT, "learnt gate %d: table's share %.3f after %d samples%s%n", p,
                    g.weight(), g.samples(), bands);
        }
    }
}
