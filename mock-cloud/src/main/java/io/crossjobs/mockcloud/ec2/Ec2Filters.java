package io.crossjobs.mockcloud.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.sim.VmView;

/**
 * EC2's Describe* filters: {@code Filter.N.Name} with {@code Filter.N.Value.M}. Filters are ANDed, the values
 * of one filter ORed; values may use the {@code *} and {@code ?} wildcards ({@code \} escapes them). The names
 * here are DescribeInstances'; DescribeImages and DescribeVolumes pass their own.
 */
public final class Ec2Filters {
    static final Set<String> NAMES = Set.of("availability-zone", "image-id", "instance-id", "instance-lifecycle",
            "instance-state-code", "instance-state-name", "instance-type", "private-ip-address", "reservation-id",
            "tag-key", "tag-value", "client-token", "spot-instance-request-id", "architecture");

    record Filter(String name, List<Pattern> values) { }

    private final List<Filter> filters;

    private Ec2Filters(List<Filter> filters) {
        this.filters = filters;
    }

    public static Ec2Filters parse(QueryParams p) {
        return parse(p, NAMES);
    }

    /** Filters whose names are in {@code names} (or {@code tag:<key>}). */
    static Ec2Filters parse(QueryParams p, Set<String> names) {
        List<Filter> filters = new ArrayList<>();
        for (int i : p.indexes("Filter")) {
            String name = p.get("Filter." + i + ".Name");
            if (name == null || !(names.contains(name) || (name.startsWith("tag:") && name.length() > 4))) {
                throw Ec2Error.invalidValue("The filter '" + name + "' is invalid");
            }
            List<String> values = p.list("Filter." + i + ".Value");
            if (values.isEmpty()) {
                throw Ec2Error.invalidValue("The filter '" + name + "' requires at least one value");
            }
            filters.add(new Filter(name, values.stream().map(Ec2Filters::wildcard).toList()));
        }
        return new Ec2Filters(filters);
    }

    public boolean isEmpty() {
        return filters.isEmpty();
    }

    public boolean matches(VmView vm) {
        return matches(name -> candidates(name, vm));
    }

    /** @param candidates a resource's values for a filter name (empty when it has none) */
    boolean matches(Function<String, List<String>> candidates) {
        for (Filter f : filters) {
            List<String> values = candidates.apply(f.name());
            boolean any = false;
            for (String c : values) {
                if (c == null) continue;
                for (Pattern v : f.values()) {
                    if (v.matcher(c).matches()) {
                        any = true;
                        break;
                    }
                }
                if (any) break;
            }
            if (!any) return false;
        }
        return true;
    }

    private static List<String> candidates(String name, VmView vm) {
        if (name.startsWith("tag:")) {
            String v = vm.tags().get(name.substring(4));
            return v == null ? List.of() : List.of(v);
        }
        Map<String, String> attrs = vm.attributes();
        return switch (name) {
            case "availability-zone" -> List.of(vm.zone());
            case "image-id" -> single(vm.imageId());
            case "instance-id" -> List.of(vm.id());
            case "instance-lifecycle" -> vm.spot() ? List.of("spot") : List.of();
            case "instance-state-code" -> List.of(Integer.toString(Ec2Xml.stateCode(vm.state())));
            case "instance-state-name" -> List.of(vm.state().label());
            case "instance-type" -> List.of(vm.instanceType());
            case "private-ip-address" -> Ec2Xml.showsPrivateIp(vm) ? List.of(vm.privateIp()) : List.of();
            case "reservation-id" -> List.of(vm.groupId());
            case "tag-key" -> List.copyOf(vm.tags().keySet());
            case "tag-value" -> List.copyOf(vm.tags().values());
            case "client-token" -> single(attrs.get(Ec2Api.ATTR_CLIENT_TOKEN));
            case "spot-instance-request-id" -> vm.spot() ? List.of(Ec2Xml.spotRequestId(vm)) : List.of();
            case "architecture" -> List.of(Ec2InstanceTypes.architecture(vm.instanceType()));
            default -> List.of();
        };
    }

    private static List<String> single(String s) {
        return s == null ? List.of() : List.of(s);
    }

    /** EC2 filter value → regex: {@code *} any run, {@code ?} one character, {@code \x} a literal x. */
    static Pattern wildcard(String value) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                literal.append(value.charAt(++i));
            } else if (c == '*' || c == '?') {
                if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
