package io.crossjobs.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What each cloud charges for data leaving it to the internet (where another cloud's nodes fetch from), per cloud,
 * at the first paid tier: {@code catalog/egress.csv} on the class path, its sources cited in the file. Columns:
 * {@code cloud,unit,internet_egress_usd_per_unit}, {@code unit} {@code GB} (10^9 bytes) or {@code GiB} (2^30 bytes),
 * as each cloud's price page writes it.
 */
public final class EgressPrices {
    public static final String DEFAULT_RESOURCE = "catalog/egress.csv";
    private static final int COLUMNS = 3;

    /** A price per unit of data, in the unit the cloud's page uses. */
    public enum Unit {
        GB(1_000_000_000L),
        GiB(1L << 30);

        private final long bytes;

        Unit(long bytes) {
            this.bytes = bytes;
        }

        public double of(long byteCount) {
            return byteCount / (double) bytes;
        }
    }

    /** {@code cloud}'s internet egress price: {@code usdPerUnit} per {@code unit}. */
    public record Price(String cloud, Unit unit, double usdPerUnit) {
        public double usd(long bytes) {
            return unit.of(bytes) * usdPerUnit;
        }
    }

    private final Map<String, Price> byCloud;

    public EgressPrices(Map<String, Price> byCloud) {
        this.byCloud = Map.copyOf(byCloud);
    }

    public static EgressPrices fromClasspath(String resource) {
        Map<String, Price> prices = new LinkedHashMap<>();
        CatalogCsv.fromClasspath("egress prices", resource, into(prices));
        return new EgressPrices(prices);
    }

    static EgressPrices parse(String source, BufferedReader reader) throws IOException {
        Map<String, Price> prices = new LinkedHashMap<>();
        CatalogCsv.rows(source, reader, into(prices));
        return new EgressPrices(prices);
    }

    /** Reads a row into {@code prices}, refusing a second price for one cloud. */
    private static CatalogCsv.RowParser<Price> into(Map<String, Price> prices) {
        return (source, lineNo, row) -> {
            Price price = parseRow(source, lineNo, row);
            if (prices.putIfAbsent(price.cloud(), price) != null) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": a second price for " + price.cloud());
            }
            return price;
        };
    }

    private static Price parseRow(String source, int lineNo, String line) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": expected " + COLUMNS + " columns, found " + f.length);
        }
        String unit = f[1].strip();
        Unit parsed = switch (unit) {
            case "GB" -> Unit.GB;
            case "GiB" -> Unit.GiB;
            default -> throw new IllegalArgumentException(source + ":" + lineNo + ": unit '" + unit
                    + "' is neither GB nor GiB");
        };
        try {
            double usd = Double.parseDouble(f[2].strip());
            if (usd < 0) throw new IllegalArgumentException("a price cannot be negative: " + usd);
            return new Price(f[0].strip().toLowerCase(Locale.ROOT), parsed, usd);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
        }
    }

    /** {@code cloud}'s price for data leaving it to the internet; empty for a cloud this file does not price. */
    public Optional<Price> internet(String cloud) {
        return cloud == null ? Optional.empty() : Optional.ofNullable(byCloud.get(cloud.toLowerCase(Locale.ROOT)));
    }
}
