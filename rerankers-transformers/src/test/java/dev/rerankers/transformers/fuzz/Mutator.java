package dev.rerankers.transformers.fuzz;

import dev.rerankers.json.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded mutator for the JSON files of a checkpoint ({@code config.json}, {@code
 * tokenizer.json}) and for safetensors headers. Mutations walk down the parsed tree to a random
 * node and change it: hostile values (negative, zero, 2^31, 2^62, 1e12, strings of numbers, nulls,
 * wrong types), small numeric nudges, deletions, emptied and duplicated lists, renamed keys; a few
 * mutants are damaged as bytes instead (truncated, flipped, non-UTF-8). The same seed gives the
 * same mutant.
 */
final class Mutator {
  private static final Object[] HOSTILE = {
    -1L, 0L, 1L, 2L, 3L, 7L, 255L, 1L << 31, (1L << 31) - 1, 1L << 32, 1L << 62, Long.MIN_VALUE, Long.MAX_VALUE,
    1e12, 1e30, 1e308, -1e12, 0.5, -0.5, 3.5, "32", "", "☃", "[UNK]", "<unk>", "F32", "BF16", "relu", "gelu",
    "absolute", null, true, false, new ArrayList<>(), new LinkedHashMap<>(), List.of(1L, 2L), List.of(-1L, 1L << 62),
    List.of("a", "b"), List.of(0L, 1L << 62)
  };

  private final Random random;

  Mutator(long seed) {
    this.random = new Random(seed);
  }

  /** A mutated copy of a JSON document's text. */
  String mutateJson(String text) {
    Object root = Json.parse(text);
    int ops = 1 + random.nextInt(3);
    for (int i = 0; i < ops; i++) {
      root = mutateTree(root);
    }
    return write(root);
  }

  /** Raw-byte damage to a file's content. */
  byte[] mutateBytes(byte[] bytes) {
    byte[] b = bytes.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        return java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
      }
      case 1 -> {
        for (int k = 0; k < 1 + random.nextInt(8) && b.length > 0; k++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 2 -> {
        if (b.length > 0) {
          b[random.nextInt(b.length)] = (byte) 0xff;
        }
        return b;
      }
      default -> {
        byte[] noise = new byte[1 + random.nextInt(64)];
        random.nextBytes(noise);
        return noise;
      }
    }
  }

  /** Whether this mutant should be byte damage rather than a tree edit. */
  boolean bytesInstead(double probability) {
    return random.nextDouble() < probability;
  }

  /**
   * A mutated safetensors file: its header JSON edited as a tree (most mutants), its length field
   * changed, or its header bytes damaged; the data section is kept.
   */
  byte[] mutateSafetensors(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = in.getLong(0);
    String header = new String(file, 8, (int) headerLen, StandardCharsets.UTF_8);
    byte[] data = java.util.Arrays.copyOfRange(file, 8 + (int) headerLen, file.length);
    int what = random.nextInt(20);
    byte[] newHeader;
    long declared;
    if (what < 15) {
      newHeader = mutateJson(header).getBytes(StandardCharsets.UTF_8);
      declared = newHeader.length;
    } else if (what < 18) {
      newHeader = header.getBytes(StandardCharsets.UTF_8);
      long[] choices = {0, 1, 2, -1, newHeader.length + 1L, newHeader.length - 1L, newHeader.length + 8L + data.length,
          1L << 40, Long.MIN_VALUE, random.nextLong(), newHeader.length * 2L};
      declared = choices[random.nextInt(choices.length)];
    } else {
      newHeader = mutateBytes(header.getBytes(StandardCharsets.UTF_8));
      declared = newHeader.length;
    }
    ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(declared).put(newHeader).put(data);
    return out.array();
  }

  private Object mutateTree(Object root) {
    if (!(root instanceof Map) && !(root instanceof List)) {
      return hostile();
    }
    // walk down: stop at a container with probability 0.3 per level, else pick a random child
    Object parent = root;
    Object key = null;
    Object node = root;
    while (node instanceof Map || node instanceof List) {
      int size = node instanceof Map<?, ?> m ? m.size() : ((List<?>) node).size();
      if (size == 0 || (key != null && random.nextDouble() < 0.3)) {
        break;
      }
      int pick = random.nextInt(size);
      parent = node;
      if (node instanceof Map<?, ?> m) {
        key = new ArrayList<>(m.keySet()).get(pick);
        node = m.get(key);
      } else {
        key = pick;
        node = ((List<?>) node).get(pick);
      }
    }
    if (key == null) {
      return edit(root);
    }
    Object replacement = edit(node);
    set(parent, key, replacement);
    return root;
  }

  @SuppressWarnings("unchecked")
  private void set(Object parent, Object key, Object value) {
    if (parent instanceof Map<?, ?> m) {
      Map<String, Object> map = (Map<String, Object>) m;
      if (value == DELETE) {
        map.remove(key);
      } else if (value instanceof Rename r) {
        map.remove(key);
        map.put(r.newKey, r.value);
      } else {
        map.put((String) key, value);
      }
    } else {
      List<Object> list = (List<Object>) parent;
      int i = (Integer) key;
      if (value == DELETE) {
        list.remove(i);
      } else if (value instanceof Rename r) {
        list.set(i, r.value);
      } else {
        list.set(i, value);
      }
    }
  }

  private static final Object DELETE = new Object();

  private record Rename(String newKey, Object value) {}

  @SuppressWarnings("unchecked")
  private Object edit(Object node) {
    int op = random.nextInt(10);
    if (op < 3) {
      return hostile();
    }
    if (op == 3) {
      return DELETE;
    }
    if (op == 4) {
      return new Rename(random.nextBoolean() ? "" : "x_" + random.nextInt(100), node);
    }
    if (node instanceof Long l) {
      long[] nudges = {l + 1, l - 1, -l, l * 1000, l / 2, 0, l + (1L << 31), l * l};
      return nudges[random.nextInt(nudges.length)];
    }
    if (node instanceof Double d) {
      double[] nudges = {d * 2, -d, d * 1e6, 0.0, d + 1, 1e-300};
      return nudges[random.nextInt(nudges.length)];
    }
    if (node instanceof String s) {
      return switch (random.nextInt(5)) {
        case 0 -> "";
        case 1 -> s.isEmpty() ? "☃" : s.substring(0, random.nextInt(s.length()));
        case 2 -> s + "☃";
        case 3 -> s + s;
        default -> s.toUpperCase(java.util.Locale.ROOT);
      };
    }
    if (node instanceof List<?> l) {
      List<Object> copy = new ArrayList<>(l);
      switch (random.nextInt(4)) {
        case 0 -> copy.clear();
        case 1 -> {
          if (!copy.isEmpty()) {
            copy.add(copy.get(random.nextInt(copy.size())));
          }
        }
        case 2 -> {
          if (!copy.isEmpty()) {
            copy.remove(random.nextInt(copy.size()));
          }
        }
        default -> {
          if (copy.size() > 1) {
            java.util.Collections.swap(copy, random.nextInt(copy.size()), random.nextInt(copy.size()));
          }
        }
      }
      return copy;
    }
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
      if (random.nextBoolean()) {
        copy.clear();
      } else {
        copy.put("x_" + random.nextInt(100), hostile());
      }
      return copy;
    }
    return hostile();
  }

  private Object hostile() {
    Object v = HOSTILE[random.nextInt(HOSTILE.length)];
    if (v instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    if (v instanceof Map<?, ?>) {
      return new LinkedHashMap<>();
    }
    return v;
  }

  /** JSON text for the values {@link Json#parse} returns. */
  static String write(Object v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb);
    return sb.toString();
  }

  private static void write(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      sb.append(Json.quote(s));
    } else if (v instanceof Double d) {
      sb.append(d.isNaN() || d.isInfinite() ? "1e999" : d.toString());
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(Json.quote(String.valueOf(e.getKey()))).append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(l.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(Json.quote(String.valueOf(v)));
    }
  }
}
