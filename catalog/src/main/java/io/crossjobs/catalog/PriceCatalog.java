package io.crossjobs.catalog;

import io.crossjobs.events.Accelerator;


import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every instance type the optimizer may choose, per zone, with shape and price. Read from CSV files on the
 * class path (one per cloud, {@code catalog/aws.csv}); a new cloud is a new file, not new code.
 * Columns: {@code cloud,region,zone,instance_type,vcpus,memory_gib,accelerators,on_demand_usd_per_hour,
 * spot_usd_per_hour}; {@code accelerators} is {@code NAME:COUNT} or empty, spot is empty where not sold.
 */
public final class PriceCatalog {
    private static final int COLUMNS = 9;

    private final List<Offer> offers;

    public PriceCatalog(List<Offer> offers) {
        this.offers = List.copyOf(offers);
    }

    public static PriceCatalog fromClasspath(List<String> resources) {
        List<Offer> all = new ArrayList<>();
        for (String resource : resources) {
            all.addAll(CatalogCsv.fromClasspath("price catalog", resource, PriceCatalog::parseRow));
        }
        return new PriceCatalog(all);
    }

    static List<Offer> parse(String source, BufferedReader reader) throws IOException {
        return CatalogCsv.rows(source, reader, PriceCatalog::parseRow);
    }

    private static Offer parseRow(String source, int lineNo, String line) {
        String[] f = line.split(",", -1);
        if (f.length != COLUMNS) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": expected " + COLUMNS + " columns, found " + f.length);
        }
        try {
            Accelerator accelerator = f[6].isBlank() ? null : Accelerator.parse(f[6]);
            Double spot = f[8].isBlank() ? null : Double.valueOf(f[8].strip());
            return new Offer(f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), Double.parseDouble(f[4].strip()),
                    Double.parseDouble(f[5].strip()), accelerator, Double.parseDouble(f[7].strip()), spot);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
        }
    }

    public List<Offer> offers() { return offers; }

    public int size() { return offers.size(); }
}
