package io.crossjobs.jobapi.quota;

import io.crossjobs.jobapi.service.Caller;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Quotas and usage: {@code GET /usage} the caller's own; admins {@code GET /admin/usage} (every user with live jobs
 * or quotas of their own), {@code PUT /admin/quotas/{owner}} (set a user's) and {@code DELETE /admin/quotas/{owner}}
 * (the defaults again).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {
    /** A user's name as a token can carry it ({@code POST /tokens}). */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][-_.@A-Za-z0-9]{0,127}");

    private final QuotaStore store;
    private final Callers callers;

    public QuotaResource(QuotaStore store, Callers callers) {
        this.store = store;
        this.callers = callers;
    }

    /** The caller's quotas and what their live jobs hold. */
    @GET
    @Path("usage")
    public Uni<QuotaView> own() {
        return store.of(callers.current()).map(QuotaView::of);
    }

    @GET
    @Path("admin/usage")
    public Uni<List<QuotaView>> all() {
        requireAdmin();
        return store.all().map(all -> all.stream().map(QuotaView::of).toList());
    }

    @PUT
    @Path("admin/quotas/{owner}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<QuotaView> set(@PathParam("owner") String owner,
                              @Valid @NotNull(message = "is required: the quotas, e.g. {\"live_jobs\": 10}")
                              QuotaRequest quotas) {
        Caller admin = requireAdmin();
        return store.set(user(owner), quotas, admin.name()).map(QuotaView::of);
    }

    @DELETE
    @Path("admin/quotas/{owner}")
    public Uni<QuotaView> reset(@PathParam("owner") String owner) {
        requireAdmin();
        return store.reset(user(owner)).map(QuotaView::of);
    }

    private Caller requireAdmin() {
        Caller caller = callers.caller();
        if (!caller.admin()) throw new ForbiddenException("only an admin may see or set other users' quotas");
        return caller;
    }

    private static String user(String owner) {
        if (!USER.matcher(owner).matches()) {
            throw new InvalidInputException("owner", "must be a user's name: a letter or digit, then up to 127 "
                    + "letters, digits or - _ . @");
        }
        return owner;
    }
}
