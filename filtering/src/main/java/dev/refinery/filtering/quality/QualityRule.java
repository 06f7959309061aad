package dev.refinery.filtering.quality;

import java.io.Serializable;

/**
 * A named rule of {@code quality-filter}: {@code keepIf} is a Spark SQL predicate over {@code document_signals}'s
 * columns that holds for documents the rule keeps. A document that fails it (false or null) drops with the rule's
 * name as its reason.
 */
record QualityRule(String name, String keepIf) implements Serializable {}
