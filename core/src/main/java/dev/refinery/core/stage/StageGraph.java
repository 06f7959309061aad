package dev.refinery.core.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.refinery.core.error.RefineryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pipeline as a graph derived from the stages' declarations, never from a hand-kept list.
 *
 * <p>A stage waits for every other stage that writes a table it reads. A stage that reads a table it also
 * writes (dedup methods reading {@code dedup_clusters}) does not wait for that table's other writers through
 * that read; instead all writers of one table run one after the other, in pipeline order, so two stages never
 * merge into one table at once. The order is a topological sort with ties broken by name.
 */
public final class StageGraph {
  private final Map<String, StageSpec> specs;
  private final List<String> order;
  private final Map<String, Set<String>> upstream;

  private StageGraph(Map<String, StageSpec> specs, List<String> order, Map<String, Set<String>> upstream) {
    this.specs = specs;
    this.order = order;
    this.upstream = upstream;
  }

  public static StageGraph of(Collection<StageSpec> specs) {
    Map<String, StageSpec> byName = new TreeMap<>();
    for (StageSpec spec : specs) {
      if (byName.put(spec.name(), spec) != null) {
        throw RefineryException.internal("Cannot build the stage graph: stage %s is declared twice", spec.name());
      }
    }
    Map<String, Set<String>> dataEdges = dataEdges(byName);
    List<String> order = topologicalOrder(byName.keySet(), dataEdges);
    Map<String, Set<String>> upstream = new LinkedHashMap<>();
    for (String name : order) {
      upstream.put(name, new TreeSet<>(dataEdges.get(name)));
    }
    // Writers of one table, one after the other in pipeline order: each waits for the previous one.
    for (String table : tables(byName.values())) {
      String previous = null;
      for (String name : order) {
        if (byName.get(name).outputs().contains(table)) {
          if (previous != null) {
            upstream.get(name).add(previous);
          }
          previous = name;
        }
      }
    }
    return new StageGraph(byName, List.copyOf(order), upstream);
  }

  /** Stage names, producers before consumers. */
  public List<String> order() {
    return order;
  }

  public StageSpec spec(String name) {
    return specs.get(name);
  }

  /** The stages {@code name} waits for. */
  public Set<String> upstream(String name) {
    return Set.copyOf(upstream.get(name));
  }

  /** The graph as JSON, stages in pipeline order: what {@code refinery stages --json} prints and Airflow reads. */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("format", 1);
    ArrayNode stages = root.putArray("stages");
    for (String name : order) {
      StageSpec spec = specs.get(name);
      ObjectNode node = stages.addObject();
      node.put("name", name);
      node.put("description", spec.description());
      strings(node.putArray("reads"), spec.requiredInputs());
      strings(node.putArray("reads_if_present"), spec.optionalInputs());
      strings(node.putArray("writes"), spec.outputs());
      strings(node.putArray("config"), spec.configSections());
      node.put("uses_llm", spec.usesLlm());
      node.put("rows_in", spec.rowsIn() instanceof RowsIn.FromTable t ? "table:" + t.table() : "reported");
      node.put("rows_out", spec.rowsOut() instanceof RowsOut.CommittedTo t ? "table:" + t.table() : "reported");
      strings(node.putArray("upstream"), upstream.get(name));
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void strings(ArrayNode array, Collection<String> values) {
    values.forEach(array::add);
  }

  private static Set<String> tables(Collection<StageSpec> specs) {
    Set<String> tables = new TreeSet<>();
    specs.forEach(spec -> tables.addAll(spec.outputs()));
    return tables;
  }

  /** stage -> the stages that write a table it reads and does not write itself. */
  private static Map<String, Set<String>> dataEdges(Map<String, StageSpec> specs) {
    Map<String, Set<String>> edges = new TreeMap<>();
    for (StageSpec reader : specs.values()) {
      Set<String> from = new TreeSet<>();
      for (String table : reader.inputs()) {
        if (reader.outputs().contains(table)) {
          continue;
        }
        for (StageSpec writer : specs.values()) {
          if (writer != reader && writer.outputs().contains(table)) {
            from.add(writer.name());
          }
        }
      }
      edges.put(reader.name(), from);
    }
    return edges;
  }

  private static List<String> topologicalOrder(Set<String> names, Map<String, Set<String>> upstream) {
    Map<String, Integer> waiting = new TreeMap<>();
    Map<String, List<String>> downstream = new TreeMap<>();
    for (String name : names) {
      waiting.put(name, upstream.get(name).size());
      for (String from : upstream.get(name)) {
        downstream.computeIfAbsent(from, k -> new ArrayList<>()).add(name);
      }
    }
    PriorityQueue<String> ready = new PriorityQueue<>();
    waiting.forEach((name, count) -> {
      if (count == 0) {
        ready.add(name);
      }
    });
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.poll();
      order.add(next);
      for (String after : downstream.getOrDefault(next, List.of())) {
        if (waiting.merge(after, -1, Integer::sum) == 0) {
          ready.add(after);
        }
      }
    }
    if (order.size() < names.size()) {
      Set<String> cycle = new TreeSet<>(names);
      order.forEach(cycle::remove);
      throw RefineryException.internal(
          "Cannot order the stages: their reads and writes form a cycle among %s", String.join(", ", cycle));
    }
    return order;
  }
}
