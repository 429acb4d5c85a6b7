package org.collegedb.internal.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.collegedb.internal.execute.ParameterStore.Setter;
import org.junit.jupiter.api.Test;

/** Primitive parameters are kept unboxed; routing still sees the boxed value, and shards get the same setter call. */
class ParameterStoreTest {
  @Test
  void primitivesComeBackAsTheBoxedValueOfTheirSetter() throws SQLException {
    ParameterStore p = new ParameterStore();
    p.setPrimitive(1, Setter.BOOLEAN, 1);
    p.setPrimitive(2, Setter.BYTE, -7);
    p.setPrimitive(3, Setter.SHORT, 300);
    p.setPrimitive(4, Setter.INT, -123456);
    p.setPrimitive(5, Setter.LONG, Long.MIN_VALUE);
    p.setPrimitive(6, Setter.FLOAT, Float.floatToRawIntBits(-1.5f));
    p.setPrimitive(7, Setter.DOUBLE, Double.doubleToRawLongBits(Math.PI));
    p.set(8, Setter.LONG, 42L); // the boxed form of the same setter
    List<Object> expected = List.of(true, (byte) -7, (short) 300, -123456, Long.MIN_VALUE, -1.5f, Math.PI, 42L);
    ParameterStore copy = p.copy();
    for (int i = 1; i <= expected.size(); i++) {
      assertThat(p.value(i)).as("parameter %d", i).isEqualTo(expected.get(i - 1));
      assertThat(copy.value(i)).as("copied parameter %d", i).isEqualTo(expected.get(i - 1));
    }
  }

  @Test
  void replayCallsTheSameSetterWithTheSameValue() throws SQLException {
    ParameterStore p = new ParameterStore();
    p.setPrimitive(1, Setter.INT, 7);
    p.setPrimitive(2, Setter.DOUBLE, Double.doubleToRawLongBits(0.25));
    p.setPrimitive(3, Setter.BOOLEAN, 0);
    p.set(4, Setter.STRING, "x");
    List<String> calls = new ArrayList<>();
    PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          calls.add(method.getName() + "(" + args[0] + ", " + args[1] + ")");
          return null;
        });
    p.bind(ps, null, 4);
    p.bind(ps, new int[] {2, 1}, 2);
    assertThat(calls).containsExactly("setInt(1, 7)", "setDouble(2, 0.25)", "setBoolean(3, false)",
        "setString(4, x)", "setDouble(1, 0.25)", "setInt(2, 7)");
  }
}
