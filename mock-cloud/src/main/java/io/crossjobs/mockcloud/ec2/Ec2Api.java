package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.limits.ApiCall;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.ConsoleSnapshot;
import io.crossjobs.mockcloud.sim.FaultContext;
import io.crossjobs.mockcloud.sim.IdempotencyMismatchException;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.LaunchResult;
import io.crossjobs.mockcloud.sim.SimulatedFault;
import io.crossjobs.mockcloud.sim.StateChange;
import io.crossjobs.mockcloud.sim.UnknownVmException;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * The EC2 Query API (version 2016-11-15) over the VM simulator: RunInstances, DescribeInstances,
 * TerminateInstances, GetConsoleOutput, CreateTags, DescribeImages, DescribeVolumes, DescribeRegions and
 * DescribeVpcs, with EC2's parameter names, XML answers and error codes, for an account as {@link AccountState}
 * describes it. Transport-free: the HTTP resource hands it the region and the parameters.
 */
public final class Ec2Api {
    private static final Logger LOG = Logger.getLogger(Ec2Api.class);
    static final String ATTR_CLIENT_TOKEN = "aws.clientToken";
    /** "enabled" when RunInstances allowed tags in the instance metadata (MetadataOptions.InstanceMetadataTags). */
    public static final String ATTR_METADATA_TAGS = "aws.instanceMetadataTags";
    static final int MAX_USER_DATA = 16 * 1024;
    static final int MAX_LAUNCH = 1000;
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern ZONE_SUFFIX = Pattern.compile("[a-z]");
    private static final Set<String> TAGGABLE_AT_LAUNCH = Set.of("instance", "volume", "network-interface",
            "spot-instances-request", "elastic-gpu");
    /** Parameters that are not part of "the same request" for ClientToken idempotency. */
    private static final Set<String> NOT_FINGERPRINTED = Set.of("Action", "Version", "ClientToken", "DryRun",
            "AWSAccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Expires",
            "SecurityToken");

    private final VmSimulator sim;
    private final ApiRateLimiter limits;
    private final Ec2InstanceTypes instanceTypes;
    private final Ec2Images images;
    private final Ec2Checks checks;
    private final Ec2ImageCalls imageCalls;
    private final Ec2VolumeCalls volumeCalls;
    private final Ec2AccountCalls accountCalls;
    private final String accountId;

    public Ec2Api(VmSimulator sim, Ec2InstanceTypes instanceTypes, Ec2Images images, Ec2Checks checks,
                  String accountId) {
        this(sim, instanceTypes, images, checks, accountId, ApiRateLimiter.countingOnly(sim.clock()));
    }

    /** With EC2's request limits counted by {@code limits}. */
    public Ec2Api(VmSimulator sim, Ec2InstanceTypes instanceTypes, Ec2Images images, Ec2Checks checks,
                  String accountId, ApiRateLimiter limits) {
        this.limits = limits;
        this.sim = sim;
        this.instanceTypes = instanceTypes;
        this.images = images;
        this.checks = checks;
        this.imageCalls = new Ec2ImageCalls(images, checks);
        this.volumeCalls = new Ec2VolumeCalls(sim);
        this.accountCalls = new Ec2AccountCalls(accountId);
        this.accountId = accountId;
    }

    /** Runs one Query API call in {@code region} for a healthy account; never throws. */
    public Ec2Response handle(String region, QueryParams p) {
        return handle(region, p, AccountState.HEALTHY);
    }

    /** Runs one Query API call in {@code region} for {@code account}; never throws. */
    public Ec2Response handle(String region, QueryParams p, AccountState account) {
        String requestId = UUID.randomUUID().toString();
        String action = p.get("Action");
        try {
            if (action == null || action.isEmpty()) {
                throw new Ec2Error(400, "MissingAction", "The request must contain the parameter Action");
            }
            Ec2Account.authorize(account, action, p);
            SimulatedFault throttled = limits.admit(limitedCall(region, action, p));
            if (throttled != null) throw throttled;
            if (!"RunInstances".equals(action)) {
                SimulatedFault fault = sim.fault(new FaultContext(Cloud.AWS, region, null, null, action, false));
                if (fault != null) throw fault;
            }
            String body = switch (action) {
                case "RunInstances" -> runInstances(region, p, account, requestId);
                case "DescribeInstances" -> describeInstances(region, p, requestId);
                case "TerminateInstances" -> terminateInstances(region, p, requestId);
                case "GetConsoleOutput" -> getConsoleOutput(region, p, requestId);
                case "CreateTags" -> createTags(region, p, requestId);
                case "DescribeImages" -> dryRunThen(p, () -> imageCalls.describeImages(region, p, requestId));
                case "DescribeVolumes" -> dryRunThen(p, () -> volumeCalls.describeVolumes(region, p, requestId));
                case "DescribeRegions" -> dryRunThen(p, () -> accountCalls.describeRegions(p, requestId));
                case "DescribeVpcs" -> dryRunThen(p, () -> accountCalls.describeVpcs(region, account, p, requestId));
                default -> throw new Ec2Error(400, "InvalidAction",
                        "The action " + action + " is not valid for this web service.");
            };
            return new Ec2Response(200, body, requestId);
        } catch (Ec2Error e) {
            return error(e.status(), e.code(), e.getMessage(), requestId, action);
        } catch (SimulatedFault f) {
            return error(f.httpStatus(), f.errorCode(), f.getMessage(), requestId, action);
        } catch (IdempotencyMismatchException e) {
            return error(400, "IdempotentParameterMismatch", "Arguments on this idempotent request are inconsistent"
                    + " with arguments used in previous request(s).", requestId, action);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed", action);
            return error(500, "InternalError", "An internal error has occurred", requestId, action);
        }
    }

    /** The call as EC2's limits count it: instances asked for or ended, and unfiltered describes apart. */
    private static ApiCall limitedCall(String region, String action, QueryParams p) {
        ApiCall call = ApiCall.of(Cloud.AWS, region, action);
        return switch (action) {
            case "RunInstances" -> call.units(intOr(p.get("MaxCount"), 1));
            case "TerminateInstances", "StopInstances", "StartInstances" -> call.units(p.list("InstanceId").size());
            case "DescribeInstances" -> p.indexes("Filter").isEmpty() && p.list("InstanceId").isEmpty()
                    && p.get("MaxResults") == null && p.get("NextToken") == null
                    ? ApiCall.of(Cloud.AWS, region, ApiRateLimiter.EC2_UNFILTERED_DESCRIBE) : call;
            default -> call;
        };
    }

    private static int intOr(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Ec2Response error(int status, String code, String message, String requestId, String action) {
        LOG.debugf("%s -> %d %s: %s", action, status, code, message);
        return new Ec2Response(status, Ec2Xml.error(code, message, requestId), requestId);
    }

    // ---------------------------------------------------------------- RunInstances

    private String runInstances(String region, QueryParams p, AccountState account, String requestId) {
        String imageId = p.require("ImageId");
        String type = p.get("InstanceType", "m1.small");
        if (!instanceTypes.isKnown(type)) {
            throw Ec2Error.invalidValue("Invalid value '" + type + "' for InstanceType.");
        }
        int min = count(p, "MinCount");
        int max = count(p, "MaxCount");
        if (min > max) {
            throw Ec2Error.invalidValue("Value (" + min + ") for parameter minCount is invalid. "
                    + "minCount must not be greater than maxCount (" + max + ").");
        }
        if (max > MAX_LAUNCH) {
            throw new Ec2Error(400, "InstanceLimitExceeded", "You have requested more instances (" + max
                    + ") than your current instance limit of " + MAX_LAUNCH + " allows for the specified instance"
                    + " type.");
        }
        String zone = p.get("Placement.AvailabilityZone");
        if (zone == null || zone.isEmpty()) {
            zone = region + "a";
        } else if (!zone.startsWith(region) || !ZONE_SUFFIX.matcher(zone.substring(region.length())).matches()) {
            throw Ec2Error.invalidValue("Invalid availability zone: [" + zone + "]");
        }
        Map<String, String> tags = instanceTags(p);
        Ec2Image image = imageCalls.forLaunch(region, imageId, type);
        List<BlockDevice> volumes = BlockDeviceMappings.resolve(p, image, images.inRegion(region),
                checks.volumeSizes());
        byte[] userData = userData(p.get("UserData"), checks.userDataLimit());
        boolean spot = spot(p.get("InstanceMarketOptions.MarketType"));
        String token = p.get("ClientToken");
        if (token != null && token.isEmpty()) token = null;
        if (token != null && (token.length() > 64 || !StandardCharsets.US_ASCII.newEncoder().canEncode(token))) {
            throw Ec2Error.invalidValue("Value (" + token + ") for parameter clientToken is invalid. "
                    + "It must be at most 64 ASCII characters.");
        }
        dryRun(p);
        // after DryRun, which answers for permissions only (API reference, RunInstances: DryRun); n/f whether EC2
        // checks the default VPC before a dry run answers
        Ec2Account.requireNetwork(account, region, p);

        Map<String, String> attributes = new LinkedHashMap<>();
        if (token != null) attributes.put(ATTR_CLIENT_TOKEN, token);
        attributes.put(ATTR_METADATA_TAGS, metadataTags(p.get("MetadataOptions.InstanceMetadataTags")));
        BlockDevice.store(attributes, image.rootDeviceName(), volumes);
        LaunchResult result = sim.launch(new LaunchRequest(Cloud.AWS, region, zone, type, imageId, tags, spot,
                userData, max, "RunInstances", null, token, fingerprint(p), attributes));

        XmlWriter x = new XmlWriter().open("RunInstancesResponse", Ec2Xml.NAMESPACE)
                .leaf("requestId", requestId)
                .leaf("reservationId", result.groupId())
                .leaf("ownerId", accountId)
                .empty("groupSet")
                .open("instancesSet");
        result.vms().forEach(vm -> Ec2Xml.instance(x, vm));
        return x.close("instancesSet").close("RunInstancesResponse").toString();
    }

    private static int count(QueryParams p, String name) {
        String raw = p.require(name);
        int n;
        try {
            n = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw Ec2Error.invalidValue("Invalid value '" + raw + "' for " + name + ".");
        }
        if (n < 1) {
            throw Ec2Error.invalidValue("Value (" + n + ") for parameter " + lowerFirst(name)
                    + " is invalid. Expected a positive integer.");
        }
        return n;
    }

    private static Map<String, String> instanceTags(QueryParams p) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i : p.indexes("TagSpecification")) {
            String base = "TagSpecification." + i;
            String resourceType = p.get(base + ".ResourceType");
            if (resourceType == null || !TAGGABLE_AT_LAUNCH.contains(resourceType)) {
                throw Ec2Error.invalidValue("'" + resourceType + "' is not a valid taggable resource type for"
                        + " this operation.");
            }
            Map<String, String> spec = new LinkedHashMap<>();
            for (int j : p.indexes(base + ".Tag")) {
                String key = p.get(base + ".Tag." + j + ".Key");
                String value = p.get(base + ".Tag." + j + ".Value", "");
                checkTag(key, value);
                if (spec.put(key, value) != null) {
                    throw Ec2Error.invalidValue("Duplicate tag key '" + key + "' specified.");
                }
            }
            if (spec.size() > 50) {
                throw new Ec2Error(400, "TagLimitExceeded", "The maximum number of tags per resource is 50.");
            }
            if ("instance".equals(resourceType)) {
                if (!tags.isEmpty()) {
                    throw Ec2Error.invalidValue("The same resource type may not be specified more than once in"
                            + " tag specifications");
                }
                tags.putAll(spec);
            }
        }
        return tags;
    }

    private static void checkTag(String key, String value) {
        if (key == null || key.isEmpty()) throw Ec2Error.invalidValue("Tag key cannot be empty.");
        if (key.length() > 128) {
            throw Ec2Error.invalidValue("Tag key exceeds the maximum length of 128 characters.");
        }
        if (value.length() > 256) {
            throw Ec2Error.invalidValue("Tag value exceeds the maximum length of 256 characters.");
        }
        if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
            throw Ec2Error.invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
        }
    }

    private static String metadataTags(String raw) {
        if (raw == null || raw.isEmpty()) return "disabled";
        if (!raw.equals("enabled") && !raw.equals("disabled")) {
            throw Ec2Error.invalidValue("Invalid value '" + raw + "' for InstanceMetadataTags.");
        }
        return raw;
    }

    /**
     * EC2 takes 16 KB of user data, raw, before base64
     * (docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-add-user-data.html).
     */
    private static byte[] userData(String encoded, boolean limited) {
        if (encoded == null || encoded.isEmpty()) return new byte[0];
        byte[] data;
        try {
            data = Base64.getDecoder().decode(encoded.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw Ec2Error.invalidValue("Invalid BASE64 encoding of user data.");
        }
        if (limited && data.length > MAX_USER_DATA) {
            throw Ec2Error.invalidValue("User data is limited to " + MAX_USER_DATA + " bytes.");
        }
        return data;
    }

    private static boolean spot(String marketType) {
        if (marketType == null || marketType.isEmpty()) return false;
        return switch (marketType) {
            case "spot" -> true;
            case "capacity-block" -> throw new Ec2Error(400, "Unsupported",
                    "The market type 'capacity-block' is not supported by this endpoint (mock-cloud).");
            default -> throw Ec2Error.invalidValue("Invalid value '" + marketType
                    + "' for InstanceMarketOptions.MarketType.");
        };
    }

    private static String fingerprint(QueryParams p) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(p.asMap()).forEach((k, v) -> {
            if (!NOT_FINGERPRINTED.contains(k) && !k.startsWith("X-Amz-")) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString();
    }

    // ---------------------------------------------------------------- DescribeInstances

    private String describeInstances(String region, QueryParams p, String requestId) {
        List<String> ids = p.list("InstanceId");
        ids.forEach(Ec2Api::checkInstanceId);
        Ec2Filters filters = Ec2Filters.parse(p);
        Integer maxResults = null;
        String rawMax = p.get("MaxResults");
        if (rawMax != null && !rawMax.isEmpty()) {
            if (!ids.isEmpty()) {
                throw new Ec2Error(400, "InvalidParameterCombination",
                        "The parameter instancesSet cannot be used with the parameter maxResults");
            }
            try {
                maxResults = Integer.parseInt(rawMax.trim());
            } catch (NumberFormatException e) {
                throw Ec2Error.invalidValue("Invalid value '" + rawMax + "' for MaxResults.");
            }
            if (maxResults < 5 || maxResults > 1000) {
                throw Ec2Error.invalidValue("Value ( " + maxResults + " ) for parameter maxResults is invalid. "
                        + "Expecting a value between 5 and 1000.");
            }
        }
        long after = decodeToken(region, p.get("NextToken"));
        dryRun(p);

        Predicate<VmView> visible = visibleIn(region);
        if (!ids.isEmpty()) {
            List<String> missing = ids.stream().distinct()
                    .filter(id -> sim.get(id).filter(visible).isEmpty()).toList();
            if (!missing.isEmpty()) throw notFound(missing);
        }
        List<VmView> matching = sim.list(vm -> visible.test(vm) && (ids.isEmpty() || ids.contains(vm.id()))
                && vm.sequence() > after && filters.matches(vm));
        List<VmView> page = matching;
        String nextToken = null;
        if (maxResults != null && matching.size() > maxResults) {
            page = matching.subList(0, maxResults);
            nextToken = encodeToken(region, page.get(page.size() - 1).sequence());
        }

        Map<String, List<VmView>> byReservation = new LinkedHashMap<>();
        for (VmView vm : page) byReservation.computeIfAbsent(vm.groupId(), k -> new ArrayList<>()).add(vm);
        XmlWriter x = new XmlWriter().open("DescribeInstancesResponse", Ec2Xml.NAMESPACE)
                .leaf("requestId", requestId)
                .open("reservationSet");
        byReservation.forEach((reservationId, vms) -> {
            x.open("item").leaf("reservationId", reservationId).leaf("ownerId", accountId).empty("groupSet")
                    .open("instancesSet");
            vms.forEach(vm -> Ec2Xml.instance(x, vm));
            x.close("instancesSet").close("item");
        });
        x.close("reservationSet");
        if (nextToken != null) x.leaf("nextToken", nextToken);
        return x.close("DescribeInstancesResponse").toString();
    }

    static String encodeToken(String region, long sequence) {
        String raw = "mock-ec2:" + region + ":" + sequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence number after which the next page starts; 0 without a token. */
    static long decodeToken(String region, String token) {
        if (token == null || token.isEmpty()) return 0;
        try {
            String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String prefix = "mock-ec2:" + region + ":";
            if (raw.startsWith(prefix)) return Long.parseLong(raw.substring(prefix.length()));
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw new Ec2Error(400, "InvalidPaginationToken", "The specified pagination token is not valid or is"
                + " expired.");
    }

    // ---------------------------------------------------------------- TerminateInstances

    private String terminateInstances(String region, QueryParams p, String requestId) {
        List<String> ids = p.list("InstanceId");
        if (ids.isEmpty()) throw new Ec2Error(400, "InvalidParameterCombination", "No instances specified");
        ids.forEach(Ec2Api::checkInstanceId);
        dryRun(p);
        List<StateChange> changes;
        try {
            changes = sim.terminate(ids.stream().distinct().toList(), visibleIn(region));
        } catch (UnknownVmException e) {
            throw notFound(e.ids());
        }
        XmlWriter x = new XmlWriter().open("TerminateInstancesResponse", Ec2Xml.NAMESPACE)
                .leaf("requestId", requestId)
                .open("instancesSet");
        for (StateChange c : changes) {
            x.open("item").leaf("instanceId", c.id());
            Ec2Xml.state(x, "currentState", c.current());
            Ec2Xml.state(x, "previousState", c.previous());
            x.close("item");
        }
        return x.close("instancesSet").close("TerminateInstancesResponse").toString();
    }

    // ---------------------------------------------------------------- CreateTags

    /**
     * Adds or overwrites tags on instances (the only resource type here). All or nothing: one unknown id fails the
     * call with nothing changed. At most 50 tags per resource afterwards.
     */
    private String createTags(String region, QueryParams p, String requestId) {
        List<String> ids = p.list("ResourceId");
        if (ids.isEmpty()) throw new Ec2Error(400, "MissingParameter", "The request must contain the parameter resourceIdSet");
        ids.forEach(Ec2Api::checkInstanceId);
        Map<String, String> tags = new LinkedHashMap<>();
        for (int j : p.indexes("Tag")) {
            String key = p.get("Tag." + j + ".Key");
            String value = p.get("Tag." + j + ".Value", "");
            checkTag(key, value);
            tags.put(key, value);
        }
        if (tags.isEmpty()) throw new Ec2Error(400, "MissingParameter", "The request must contain the parameter tagSet");
        List<String> missing = ids.stream().filter(id -> sim.get(id).filter(visibleIn(region)).isEmpty()).toList();
        if (!missing.isEmpty()) throw notFound(missing);
        dryRun(p);
        for (String id : ids.stream().distinct().toList()) {
            try {
                sim.update(id, old -> {
                    Map<String, String> merged = new LinkedHashMap<>(old);
                    merged.putAll(tags);
                    if (merged.size() > 50) {
                        throw new Ec2Error(400, "TagLimitExceeded", "The maximum number of tags per resource is 50.");
                    }
                    return merged;
                }, attrs -> attrs);
            } catch (UnknownVmException e) {
                throw notFound(e.ids());
            }
        }
        return new XmlWriter().open("CreateTagsResponse", Ec2Xml.NAMESPACE).leaf("requestId", requestId)
                .leaf("return", "true").close("CreateTagsResponse").toString();
    }

    // ---------------------------------------------------------------- GetConsoleOutput

    /** EC2 keeps only the most recent 64 KB of an instance's console output. */
    static final int CONSOLE_BYTES = 64 * 1024;

    /**
     * As EC2 serves it (API reference GetConsoleOutput): without {@code Latest}, the buffered output posted at the
     * instance's last state transition (for a running instance: what it printed until it started running), with
     * the time of that post; with {@code Latest=true}, the output until now. Either way only its most recent 64 KB,
     * so a client cannot read it by offset.
     */
    private String getConsoleOutput(String region, QueryParams p, String requestId) {
        String id = p.require("InstanceId");
        checkInstanceId(id);
        dryRun(p);
        if (sim.get(id).filter(visibleIn(region)).isEmpty()) throw notFound(List.of(id));
        Optional<ConsoleSnapshot> console = sim.console(id);
        if (console.isEmpty()) throw notFound(List.of(id));
        ConsoleSnapshot c = console.get();
        boolean latest = Boolean.parseBoolean(p.get("Latest"));
        String text = latest ? c.text() : c.posted();
        XmlWriter x = new XmlWriter().open("GetConsoleOutputResponse", Ec2Xml.NAMESPACE)
                .leaf("requestId", requestId)
                .leaf("instanceId", id);
        java.time.Instant at = latest ? c.updatedAt() : c.postedAt();
        if (at != null) x.leaf("timestamp", Ec2Xml.timestamp(at));
        if (!text.isEmpty()) x.leaf("output", Base64.getEncoder().encodeToString(lastBytes(text, CONSOLE_BYTES)));
        return x.close("GetConsoleOutputResponse").toString();
    }

    /** The last {@code max} bytes of the text's UTF-8, starting at a character boundary. */
    static byte[] lastBytes(String text, int max) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        if (all.length <= max) return all;
        int from = all.length - max;
        while (from < all.length && (all[from] & 0xC0) == 0x80) from++;
        return java.util.Arrays.copyOfRange(all, from, all.length);
    }

    // ---------------------------------------------------------------- shared

    private static Predicate<VmView> visibleIn(String region) {
        return vm -> vm.cloud() == Cloud.AWS && vm.region().equals(region);
    }

    private static void checkInstanceId(String id) {
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw new Ec2Error(400, "InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\" (expecting \"i-...\")");
        }
    }

    private static Ec2Error notFound(List<String> ids) {
        String message = ids.size() == 1
                ? "The instance ID '" + ids.get(0) + "' does not exist"
                : "The instance IDs '" + String.join(", ", ids) + "' do not exist";
        return new Ec2Error(400, "InvalidInstanceID.NotFound", message);
    }

    private static String dryRunThen(QueryParams p, java.util.function.Supplier<String> call) {
        dryRun(p);
        return call.get();
    }

    private static void dryRun(QueryParams p) {
        if ("true".equalsIgnoreCase(p.get("DryRun"))) {
            throw new Ec2Error(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.");
        }
    }

    private static String lowerFirst(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
