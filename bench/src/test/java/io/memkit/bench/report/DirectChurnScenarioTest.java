package io.memkit.bench.report.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memkit.bench.report.Role;
import io.memkit.bench.report.VariantResult;
import org.junit.jupiter.api.Test;

class DirectChurnScenarioTest {

    @Test
    void parsesTheChildsResultLine() {
        VariantResult r = DirectChurnScenario.parse("allocateDirect", Role.NAIVE,
                "ops=20000;nsPerOp=24250.5;bytesPerOp=136.0;gcCount=78;gcMillis=255;explicitGcs=77;explicitGcMillis=250;"
                        + "maxOpMicros=15000.2;directBytes=12582912;checksum=3");
        assertThat(r.ops()).isEqualTo(20000);
        assertThat(r.nsPerOp()).isEqualTo(24250.5);
        assertThat(r.bytesPerOp()).isEqualTo(136.0);
        assertThat(r.gcCount()).isEqualTo(78);
        assertThat(r.gcMillis()).isEqualTo(255);
        assertThat(r.directBytes()).isEqualTo(12582912);
        assertThat(r.extras()).containsEntry("explicitGcs", 77.0).containsEntry("maxRequestMicros", 15000.2);
    }

    @Test
    void rejectsAResultLineWithAMissingFigure() {
        assertThatThrownBy(() -> DirectChurnScenario.parse("x", Role.PEER, "ops=1;nsPerOp=2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 'bytesPerOp'");
    }
}
