package org.collegedb.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** A parameter copied into another store keeps its setter and value, primitives included. */
class ParameterCopyTest {
  @Test
  void copiesPrimitiveAndObjectParameters() throws Exception {
    ParameterStore from = new ParameterStore();
    from.setPrimitive(1, ParameterStore.Setter.INT, 7);
    from.setPrimitive(2, ParameterStore.Setter.DOUBLE, Double.doubleToRawLongBits(2.5));
    from.set(3, ParameterStore.Setter.BIG_DECIMAL, new BigDecimal("1.10"));
    from.setPrimitive(4, ParameterStore.Setter.BOOLEAN, 1);
    ParameterStore into = new ParameterStore();
    from.copy(3, into, 1);
    from.copy(1, into, 2);
    from.copy(2, into, 3);
    from.copy(4, into, 12); // grows the target
    assertThat(into.value(1)).isEqualTo(new BigDecimal("1.10"));
    assertThat(into.value(2)).isEqualTo(7);
    assertThat(into.value(3)).isEqualTo(2.5);
    assertThat(into.value(12)).isEqualTo(true);
  }
}
