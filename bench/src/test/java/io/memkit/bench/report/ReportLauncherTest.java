package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportLauncherTest {

    @Test
    void reportJvmGetsAFixedHeapAndTheLaunchersFlags() {
        List<String> command = ReportLauncher.command(List.of("--quick"), List.of("-Dfoo=bar"));
        assertThat(command.get(0)).endsWith("java");
        assertThat(command).containsSubsequence("-Xms1g", "-Xmx1g", "-Xmn64m", "-XX:+UseG1GC", "--add-opens",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-Dfoo=bar", "-D" + ReportLauncher.FORKED + "=true", "-cp");
        assertThat(command.subList(command.size() - 2, command.size())).containsExactly("io.memkit.bench.Main", "--quick");
    }

    @Test
    void defaultsStepAsideForTheUsersHeapAndCollector() {
        List<String> command = ReportLauncher.command(List.of(), List.of("-Xmx512m", "-XX:+UseParallelGC",
                "-D" + ReportLauncher.FORKED + "=false"));
        assertThat(command).doesNotContain("-Xms1g", "-Xmx1g", "-Xmn64m", "-XX:+UseG1GC", "-D" + ReportLauncher.FORKED + "=false")
                .contains("-Xmx512m", "-XX:+UseParallelGC", "-D" + ReportLauncher.FORKED + "=true");
    }
}
