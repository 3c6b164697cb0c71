package io.crossjobs.provisioner.azure.service;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.service.HeldBackException;
import io.crossjobs.provisioner.service.RateBudget;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paces every Resource Manager call of the subscription before it is sent, without blocking a thread: the call is
 * delayed until its slot. Resource Manager's buckets per subscription (learn.microsoft.com/azure/
 * azure-resource-manager/management/request-limits-and-throttling): reads 250 refilled 25/s, writes and deletes
 * 200 refilled 10/s each, a POST counting as a write. Compute's per-VM policies (learn.microsoft.com/azure/
 * virtual-machines/compute-throttling-limits): put/update/delete 12 at once refilled 4 a minute, low-cost gets
 * (the VM, its instance view) 36 refilled 12 a minute; each paced just under
 * ({@link RateBudget#withMargin()}). A call whose slot is further away than
 * {@code maxWait} fails here, unsent, with {@link HeldBackException}.
 */
final class ArmPacing implements HttpPipelinePolicy {
    private static final String SUBSCRIPTION = "subscription";
    private static final RateBudget READS = new RateBudget("subscription reads", 250, 25).withMargin();
    private static final RateBudget WRITES = new RateBudget("subscription writes", 200, 10).withMargin();
    private static final RateBudget DELETES = new RateBudget("subscription deletes", 200, 10).withMargin();
    private static final RateBudget VM_PUTS = RateBudget.perMinute("PutVM per VM", 12, 4).withMargin();
    private static final RateBudget VM_GETS = RateBudget.perMinute("LowCostGet per VM", 36, 12).withMargin();
    private static final Pattern VM = Pattern.compile(
            "(?i).*/providers/Microsoft\\.Compute/virtualMachines/([^/?]+)(/[^/?]+)?$");

    private final CallPacer pacer;
    private final Duration maxWait;

    ArmPacing(CallPacer pacer, Duration maxWait) {
        this.pacer = pacer;
        this.maxWait = maxWait;
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        Duration wait;
        try {
            wait = slotFor(context.getHttpRequest().getHttpMethod(), context.getHttpRequest().getUrl().getPath());
        } catch (HeldBackException e) {
            return Mono.error(e);
        }
        return wait.isZero() ? next.process() : Mono.delay(wait).then(Mono.defer(next::process));
    }

    /**
     * Reserves the call's slot in each limit it counts against and returns how long it must wait for the last of
     * them; throws when one is further away than {@code maxWait}.
     */
    Duration slotFor(HttpMethod method, String path) {
        Duration wait = Duration.ZERO;
        for (Slot slot : slotsOf(method, path)) {
            Duration w = pacer.reserve(slot.key(), slot.budget(), maxWait);
            if (w == null) throw new HeldBackException(slot.key(), slot.budget());
            if (w.compareTo(wait) > 0) wait = w;
        }
        return wait;
    }

    /** A limit and what it is counted for: the subscription, or one VM. */
    record Slot(String key, RateBudget budget) { }

    static List<Slot> slotsOf(HttpMethod method, String path) {
        List<Slot> slots = new ArrayList<>(2);
        RateBudget arm = method == HttpMethod.GET || method == HttpMethod.HEAD ? READS
                : method == HttpMethod.DELETE ? DELETES : WRITES;
        slots.add(new Slot(SUBSCRIPTION, arm));
        Matcher vm = VM.matcher(path);
        if (vm.matches()) {
            String key = "vm " + vm.group(1).toLowerCase(Locale.ROOT);
            boolean change = vm.group(2) == null && (method == HttpMethod.PUT || method == HttpMethod.PATCH
                    || method == HttpMethod.DELETE);
            slots.add(new Slot(key, change ? VM_PUTS : VM_GETS));
        }
        return slots;
    }
}
