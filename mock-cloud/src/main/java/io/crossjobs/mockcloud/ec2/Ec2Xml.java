package io.crossjobs.mockcloud.ec2;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import io.crossjobs.mockcloud.sim.StateReason;
import io.crossjobs.mockcloud.sim.VmState;
import io.crossjobs.mockcloud.sim.VmView;

/** EC2 wire format of instances, states and errors (API version 2016-11-15). */
public final class Ec2Xml {
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter REASON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'GMT'").withZone(ZoneOffset.UTC);

    private Ec2Xml() { }

    public static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /** EC2's numeric state codes (the low byte of InstanceState.code). */
    public static int stateCode(VmState s) {
        return switch (s) {
            case PENDING -> 0;
            case RUNNING -> 16;
            case SHUTTING_DOWN -> 32;
            case TERMINATED -> 48;
            case STOPPING -> 64;
            case STOPPED -> 80;
        };
    }

    public static void state(XmlWriter x, String element, VmState s) {
        x.open(element).leaf("code", stateCode(s)).leaf("name", s.label()).close(element);
    }

    /** Terminated instances no longer have a private address, as on EC2. */
    static boolean showsPrivateIp(VmView vm) {
        return vm.state() != VmState.TERMINATED;
    }

    static String spotRequestId(VmView vm) {
        return "sir-" + vm.id().substring(2, Math.min(vm.id().length(), 10));
    }

    static String privateDnsName(VmView vm) {
        String ip = vm.privateIp().replace('.', '-');
        return "us-east-1".equals(vm.region()) ? "ip-" + ip + ".ec2.internal"
                : "ip-" + ip + "." + vm.region() + ".compute.internal";
    }

    /** One {@code <item>} of an instancesSet (RunInstances and DescribeInstances). */
    public static void instance(XmlWriter x, VmView vm) {
        boolean hasIp = showsPrivateIp(vm);
        x.open("item")
                .leaf("instanceId", vm.id())
                .leaf("imageId", vm.imageId());
        state(x, "instanceState", vm.state());
        x.leaf("privateDnsName", hasIp ? privateDnsName(vm) : "")
                .leaf("dnsName", "")
                .leaf("reason", transitionReason(vm))
                .leaf("amiLaunchIndex", vm.launchIndex())
                .empty("productCodes")
                .leaf("instanceType", vm.instanceType())
                .leaf("launchTime", timestamp(vm.launchTime()))
                .open("placement")
                .leaf("availabilityZone", vm.zone())
                .leaf("groupName", "")
                .leaf("tenancy", "default")
                .close("placement")
                .open("monitoring").leaf("state", "disabled").close("monitoring");
        if (hasIp) x.leaf("privateIpAddress", vm.privateIp());
        x.empty("groupSet");
        StateReason reason = vm.stateReason();
        if (reason != null) {
            x.open("stateReason").leaf("code", reason.code()).leaf("message", reason.message()).close("stateReason");
        }
        x.leaf("architecture", Ec2InstanceTypes.architecture(vm.instanceType()))
                .leaf("rootDeviceType", "ebs")
                .leaf("rootDeviceName", BlockDevice.rootDeviceName(vm.attributes()));
        blockDevices(x, vm);
        if (vm.spot()) {
            x.leaf("instanceLifecycle", "spot").leaf("spotInstanceRequestId", spotRequestId(vm));
        }
        Ec2InstanceTypes.cpuOptions(vm.instanceType()).ifPresent(cpu -> x.open("cpuOptions")
                .leaf("coreCount", cpu.coreCount()).leaf("threadsPerCore", cpu.threadsPerCore()).close("cpuOptions"));
        x.leaf("virtualizationType", "hvm")
                .leaf("clientToken", vm.attributes().getOrDefault(Ec2Api.ATTR_CLIENT_TOKEN, ""));
        x.open("metadataOptions").leaf("state", "applied").leaf("httpTokens", "optional")
                .leaf("httpPutResponseHopLimit", "1").leaf("httpEndpoint", "enabled")
                .leaf("instanceMetadataTags", vm.attributes().getOrDefault(Ec2Api.ATTR_METADATA_TAGS, "disabled"))
                .close("metadataOptions");
        if (!vm.tags().isEmpty()) {
            x.open("tagSet");
            for (Map.Entry<String, String> t : vm.tags().entrySet()) {
                x.open("item").leaf("key", t.getKey()).leaf("value", t.getValue()).close("item");
            }
            x.close("tagSet");
        }
        x.leaf("hypervisor", "xen")
                .empty("networkInterfaceSet")
                .leaf("ebsOptimized", "false")
                .leaf("enaSupport", "true")
                .leaf("sourceDestCheck", "true")
                .close("item");
    }

    /** The instance's EBS volumes while it has them; a terminated instance lists none. */
    private static void blockDevices(XmlWriter x, VmView vm) {
        List<BlockDevice> devices = vm.state() == VmState.TERMINATED ? List.of() : BlockDevice.of(vm.attributes());
        if (devices.isEmpty()) {
            x.empty("blockDeviceMapping");
            return;
        }
        x.open("blockDeviceMapping");
        for (BlockDevice d : devices) {
            x.open("item").leaf("deviceName", d.deviceName())
                    .open("ebs")
                    .leaf("volumeId", d.volumeId(vm.id()))
                    .leaf("status", "attached")
                    .leaf("attachTime", timestamp(vm.launchTime()))
                    .leaf("deleteOnTermination", Boolean.toString(d.deleteOnTermination()))
                    .close("ebs")
                    .close("item");
        }
        x.close("blockDeviceMapping");
    }

    /** EC2's free-text StateTransitionReason. */
    static String transitionReason(VmView vm) {
        StateReason r = vm.stateReason();
        if (r == null || r.kind() == StateReason.Kind.LAUNCHING) return "";
        String when = " (" + REASON_TIME.format(vm.stateChangedAt()) + ")";
        return r.kind() == StateReason.Kind.USER_TERMINATED ? "User initiated" + when : "Service initiated" + when;
    }

    public static String error(String code, String message, String requestId) {
        return new XmlWriter().open("Response").open("Errors").open("Error")
                .leaf("Code", code).leaf("Message", message)
                .close("Error").close("Errors")
                .leaf("RequestID", requestId)
                .close("Response").toString();
    }
}
