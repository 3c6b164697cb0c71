package io.crossjobs.catalog;

import io.crossjobs.events.StorageUris;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EgressPricesTest {
    private static final EgressPrices PRICES = EgressPrices.fromClasspath(EgressPrices.DEFAULT_RESOURCE);

    @Test
    void everyCloudAStorageUriCanNameHasTheFirstTierInternetPriceItsPageGives() {
        List<String> uris = List.of("s3://b/k", "gs://b/k", "https://acct.blob.core.windows.net/c/k");
        for (String uri : uris) {
            String cloud = StorageUris.cloudOf(uri).orElseThrow();
            assertTrue(PRICES.internet(cloud).isPresent(), "no egress price for " + cloud);
        }
        assertEquals(new EgressPrices.Price("aws", EgressPrices.Unit.GB, 0.09), PRICES.internet("aws").orElseThrow());
        assertEquals(new EgressPrices.Price("gcp", EgressPrices.Unit.GiB, 0.12), PRICES.internet("gcp").orElseThrow());
        assertEquals(new EgressPrices.Price("azure", EgressPrices.Unit.GB, 0.087),
                PRICES.internet("AZURE").orElseThrow(), "cloud names are case-insensitive");
        assertTrue(PRICES.internet("oci").isEmpty());
        assertTrue(PRICES.internet(null).isEmpty());
    }

    @Test
    void aPriceIsPerUnitAsThePageWritesIt() {
        assertEquals(0.09, PRICES.internet("aws").orElseThrow().usd(1_000_000_000L), 1e-12, "GB = 10^9 bytes");
        assertEquals(0.12, PRICES.internet("gcp").orElseThrow().usd(1L << 30), 1e-12, "GiB = 2^30 bytes");
        assertEquals(0.12 * 1_000_000_000L / (1L << 30), PRICES.internet("gcp").orElseThrow().usd(1_000_000_000L),
                1e-12);
        assertEquals(0, PRICES.internet("azure").orElseThrow().usd(0));
    }

    @Test
    void aMalformedFileIsRefusedNamingTheLine() {
        IllegalArgumentException unit = assertThrows(IllegalArgumentException.class,
                () -> parse("cloud,unit,internet_egress_usd_per_unit\naws,TB,90\n"));
        assertTrue(unit.getMessage().startsWith("t:2: unit 'TB'"), unit.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> parse("# c\ncloud,unit,internet_egress_usd_per_unit\naws,GB,0.09\naws,GB,0.08\n"));
        assertTrue(twice.getMessage().startsWith("t:4: a second price for aws"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("h\naws,GB,-1\n"));
        assertThrows(IllegalArgumentException.class, () -> parse("h\naws,GB\n"));
    }

    private static EgressPrices parse(String csv) throws IOException {
        return EgressPrices.parse("t", new BufferedReader(new StringReader(csv)));
    }
}
