package io.crossjobs.jobapi.controller;

import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The launch command of one controller VM. The VM runs the built controller-service: from a path on the VM's
 * machine (mock-cloud's VMs are local processes), or downloaded from an https URL (a {@code .tar.gz} of its
 * {@code quarkus-app} folder), after installing a Java 17 runtime when the image has none. The controller's settings
 * are not in the command: the VM fetches them once from job-api with the one-time token, which travels sealed like a
 * task secret and is worthless once spent.
 *
 * @param sealedBootstrapToken the one-time token, sealed with the secrets key the provisioners open
 */
public record ControllerLaunch(String controllerId, int generation, Placement placement, String artifact,
                               String java, String jvmOptions, String bootstrapUrl, String sealedBootstrapToken) {

    public static final String BOOTSTRAP_URL_ENV = "CROSSJOBS_BOOTSTRAP_URL";
    public static final String BOOTSTRAP_TOKEN_ENV = "CROSSJOBS_BOOTSTRAP_TOKEN";

    /** {@code cj-controller-1a2b3c4d-3}: valid as an EC2 tag, a GCE instance name and an Azure VM name. */
    public static String clusterName(String controllerId, int generation) {
        return "cj-" + controllerId + "-" + generation;
    }

    public String clusterName() { return clusterName(controllerId, generation); }

    public LaunchCluster command() {
        Map<String, String> envs = new LinkedHashMap<>();
        envs.put(BOOTSTRAP_URL_ENV, bootstrapUrl);
        envs.put("CROSSJOBS_CONTROLLER_JAVA", java);
        envs.put("CROSSJOBS_CONTROLLER_JVM_OPTIONS", jvmOptions);
        envs.put("CROSSJOBS_CONTROLLER_ARTIFACT", artifact);
        return new LaunchCluster(controllerId, generation, clusterName(), controllerId, placement, 1, envs,
                Map.of(BOOTSTRAP_TOKEN_ENV, sealedBootstrapToken), SETUP, RUN);
    }

    /** Puts the controller-service on the VM: a local path is used as it is; a URL is downloaded and unpacked once. */
    static final String SETUP = """
            set -e
            if [ -f "$CROSSJOBS_CONTROLLER_ARTIFACT" ]; then
              echo "crossjobs: controller-service at $CROSSJOBS_CONTROLLER_ARTIFACT"
              exit 0
            fi
            if ! command -v "$CROSSJOBS_CONTROLLER_JAVA" >/dev/null 2>&1; then
              echo 'crossjobs: installing a Java 17 runtime'
              if command -v apt-get >/dev/null 2>&1; then
                sudo -n apt-get update -q && sudo -n apt-get install -y -q openjdk-17-jre-headless curl
              elif command -v dnf >/dev/null 2>&1; then
                sudo -n dnf install -y -q java-17-openjdk-headless curl
              else
                echo 'crossjobs: no apt-get or dnf to install Java with'; exit 1
              fi
            fi
            mkdir -p "$HOME/crossjobs-controller"
            cd "$HOME/crossjobs-controller"
            if [ ! -f quarkus-app/quarkus-run.jar ]; then
              echo "crossjobs: downloading controller-service from $CROSSJOBS_CONTROLLER_ARTIFACT"
              curl -fsSL --retry 5 "$CROSSJOBS_CONTROLLER_ARTIFACT" -o controller-service.tar.gz
              tar xzf controller-service.tar.gz
            fi
            """;

    /** Runs the controller in the foreground: when it exits, the VM's exit marker tells the keeper. */
    static final String RUN = """
            jar="$CROSSJOBS_CONTROLLER_ARTIFACT"
            [ -f "$jar" ] || jar="$HOME/crossjobs-controller/quarkus-app/quarkus-run.jar"
            echo "crossjobs: starting the jobs controller $CROSSJOBS_JOB_ID"
            exec "$CROSSJOBS_CONTROLLER_JAVA" $CROSSJOBS_CONTROLLER_JVM_OPTIONS -jar "$jar"
            """;
}
