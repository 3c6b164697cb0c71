package io.crossjobs.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration properties one service module reads, found the way its Quarkus runtime would see them, so
 * that an environment variable of docker-compose.yml can be checked against them:
 * <ul>
 *   <li>keys of the module's {@code application.properties} (any profile);</li>
 *   <li>the {@code @ConfigMapping} interfaces and {@code @ConfigProperty} names in its sources and in the sources
 *       of the crossjobs modules it depends on (a provisioner reads provisioner-core's);</li>
 *   <li>Quarkus built-ins from the config model the Quarkus extensions ship
 *       ({@code META-INF/quarkus-config-doc/quarkus-config-model.json} of the extension jars on this test's
 *       class path): only run-time ones (a build-time key set in a container changes nothing), and, besides
 *       core and HTTP, only of a group the module configures already (a datasource URL for a module without
 *       a datasource is a mistake);</li>
 *   <li>Kafka client settings ({@code kafka.*}, which the SmallRye Kafka connector hands to every client) for
 *       modules that use that connector, checked against the kafka-clients config names.</li>
 * </ul>
 * Environment names are matched as SmallRye Config maps them: every character that is not a letter or digit
 * becomes {@code _}, then upper case.
 */
final class ServiceConfigKeys {
    private static final String QUARKUS_MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    /** Quarkus groups every service has: core (log, ...) and the HTTP server. */
    private static final List<String> ALWAYS_PRESENT_GROUPS = List.of("quarkus.log", "quarkus.http",
            "quarkus.application", "quarkus.shutdown", "quarkus.thread-pool", "quarkus.default-locale");
    private static volatile Map<String, QuarkusProperty> quarkusModel;

    private final String module;
    private final Set<String> properties;
    private final boolean usesKafkaConnector;

    private ServiceConfigKeys(String module, Set<String> properties, boolean usesKafkaConnector) {
        this.module = module;
        this.properties = properties;
        this.usesKafkaConnector = usesKafkaConnector;
    }

    static ServiceConfigKeys of(Path root, String module) {
        Properties app = applicationProperties(root, module);
        Set<String> names = new LinkedHashSet<>();
        for (String key : app.stringPropertyNames()) names.add(withoutProfile(key));
        for (String source : sourceModules(root, module)) names.addAll(mappedProperties(root.resolve(source)));
        boolean kafka = app.stringPropertyNames().stream()
                .anyMatch(k -> k.endsWith(".connector") && "smallrye-kafka".equals(app.getProperty(k)));
        return new ServiceConfigKeys(module, names, kafka);
    }

    /** The module's {@code application.properties} as written (profiles kept in the keys). */
    static Properties applicationProperties(Path root, String module) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(root.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Why setting {@code envName} in this module's container would not work; empty when it sets a property. */
    Optional<String> problemWith(String envName) {
        QuarkusProperty builtIn = quarkusModel().get(envName);
        if (builtIn != null && !builtIn.phase().equals("RUN_TIME")) {
            return Optional.of(envName + ": " + builtIn.property() + " is fixed when the image is built (" + builtIn.phase() + ")");
        }
        if (propertyFor(envName).isPresent()) return Optional.empty();
        return Optional.of(envName + ": no property of " + module + " reads it");
    }

    /** The property an environment variable sets in this module, with the source that declares it; empty if none. */
    Optional<String> propertyFor(String envName) {
        for (String p : properties) {
            if (envPattern(p).matcher(envName).matches()) return Optional.of(p + " (" + module + ")");
        }
        if (usesKafkaConnector && envName.startsWith("KAFKA_")) {
            for (String client : kafkaClientConfigNames()) {
                if (envName(client).equals(envName.substring("KAFKA_".length()))) return Optional.of("kafka." + client);
            }
        }
        QuarkusProperty builtIn = quarkusModel().get(envName);
        if (builtIn != null && builtIn.phase().equals("RUN_TIME") && groupPresent(builtIn.property())) {
            return Optional.of(builtIn.property() + " (Quarkus)");
        }
        return Optional.empty();
    }

    private boolean groupPresent(String property) {
        String group = group(property);
        return ALWAYS_PRESENT_GROUPS.contains(group) || properties.stream().anyMatch(p -> group(p).equals(group));
    }

    /** {@code quarkus.datasource} of {@code quarkus.datasource.jdbc.url}. */
    private static String group(String property) {
        String[] parts = property.split("\\.");
        return parts.length < 2 ? property : parts[0] + "." + parts[1];
    }

    /** SmallRye's environment name of a property: non-alphanumerics to {@code _}, upper case. */
    static String envName(String property) {
        StringBuilder b = new StringBuilder(property.length());
        for (char c : property.toCharArray()) b.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        return b.toString();
    }

    /** As {@link #envName} where a {@code *} (a map key of a mapping) stands for any key. */
    private static Pattern envPattern(String property) {
        String[] parts = property.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append("[A-Z0-9_]+");
            regex.append(Pattern.quote(envName(parts[i])));
        }
        return Pattern.compile(regex.toString());
    }

    private static String withoutProfile(String key) {
        return key.startsWith("%") && key.indexOf('.') > 0 ? key.substring(key.indexOf('.') + 1) : key;
    }

    private static Set<String> kafkaClientConfigNames() {
        Set<String> names = new LinkedHashSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    // --- sources: the module and the crossjobs modules it needs at run time

    private static final Pattern CROSSJOBS_DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.crossjobs</groupId>\\s*<artifactId>([\\w-]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);

    static List<String> sourceModules(Path root, String module) {
        List<String> modules = new ArrayList<>();
        collect(root, module, modules);
        return modules;
    }

    private static void collect(Path root, String module, List<String> into) {
        if (into.contains(module)) return;
        into.add(module);
        String pom = read(root.resolve(module).resolve("pom.xml"));
        Matcher m = CROSSJOBS_DEPENDENCY.matcher(pom);
        while (m.find()) {
            String rest = m.group(2);
            if (rest.contains("<scope>test</scope>") || rest.contains("<scope>provided</scope>")
                    || rest.contains("<type>pom</type>")) continue;
            collect(root, m.group(1), into);
        }
    }

    // --- @ConfigMapping interfaces and @ConfigProperty fields, read from the Java sources

    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern NESTED_INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)\\s*\\{");
    private static final Pattern METHOD = Pattern.compile("([\\w.]+(?:<[\\w.<>,\\s?]+>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern UNSUPPORTED = Pattern.compile("@(WithName|WithParentName|WithUnnamedKey|WithKeys)\\b");

    static Set<String> mappedProperties(Path moduleDir) {
        Path sources = moduleDir.resolve("src/main/java");
        Set<String> names = new LinkedHashSet<>();
        if (!Files.isDirectory(sources)) return names;
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String java = withoutComments(read(f));
                Matcher property = CONFIG_PROPERTY.matcher(java);
                while (property.find()) names.add(property.group(1));
                Matcher prefix = MAPPING_PREFIX.matcher(java);
                if (!prefix.find()) continue;
                if (UNSUPPORTED.matcher(java).find()) {
                    throw new IllegalStateException(f + " renames config members: teach ServiceConfigKeys its annotations");
                }
                String body = block(java, java.indexOf('{', prefix.end()));
                names.addAll(members(prefix.group(1), body, nestedInterfaces(body)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** Nested interface name → its body, at any depth (names are unique within one mapping). */
    private static Map<String, String> nestedInterfaces(String body) {
        Map<String, String> nested = new HashMap<>();
        Matcher m = NESTED_INTERFACE.matcher(body);
        while (m.find()) nested.put(m.group(1), block(body, m.end() - 1));
        return nested;
    }

    private static List<String> members(String prefix, String body, Map<String, String> nested) {
        List<String> names = new ArrayList<>();
        Matcher m = METHOD.matcher(topLevel(body));
        while (m.find()) {
            String type = m.group(1).replaceAll("\\s", "");
            String name = prefix + "." + kebab(m.group(2));
            String element = type.replaceFirst("^Optional<(.*)>$", "$1");
            Matcher map = Pattern.compile("^Map<[\\w.]+,(.*)>$").matcher(element);
            if (map.matches()) {
                String value = map.group(1);
                if (nested.containsKey(value)) names.addAll(members(name + ".*", nested.get(value), nested));
                else names.add(name + ".*");
            } else if (nested.containsKey(element)) {
                names.addAll(members(name, nested.get(element), nested));
            } else {
                names.add(name);
            }
        }
        return names;
    }

    /** The text inside the braces opening at {@code open}, without the braces. */
    private static String block(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return text.substring(open + 1, i);
        }
        throw new IllegalArgumentException("unbalanced braces");
    }

    /** The body with nested blocks blanked out, so only this level's methods match. */
    private static String topLevel(String body) {
        StringBuilder b = new StringBuilder(body.length());
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') depth++;
            if (depth == 0) b.append(c);
            if (c == '}') depth--;
        }
        return b.toString();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String withoutComments(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- Quarkus' own configuration, from the extensions' config model

    record QuarkusProperty(String property, String phase) { }

    private static Map<String, QuarkusProperty> quarkusModel() {
        Map<String, QuarkusProperty> model = quarkusModel;
        if (model != null) return model;
        model = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try {
            Enumeration<URL> files = ServiceConfigKeys.class.getClassLoader().getResources(QUARKUS_MODEL);
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    collectProperties(json.readTree(in), model);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (model.isEmpty()) throw new IllegalStateException("no Quarkus config model on the class path (" + QUARKUS_MODEL + ")");
        quarkusModel = model;
        return model;
    }

    private static void collectProperties(JsonNode node, Map<String, QuarkusProperty> into) {
        if (node.isObject() && node.has("path") && node.get("path").has("environmentVariable")) {
            String phase = node.path("phase").asText();
            add(node.get("path"), phase, into);
            for (JsonNode extra : node.path("additionalPaths")) add(extra, phase, into);
        }
        for (JsonNode child : node) collectProperties(child, into);
    }

    private static void add(JsonNode path, String phase, Map<String, QuarkusProperty> into) {
        into.put(path.get("environmentVariable").asText(), new QuarkusProperty(path.get("property").asText(), phase));
    }
}
