package dev.refinery.annotation.metrics;

import java.io.Serializable;

/** Pearson correlation as mergeable sums (n, sum x, sum y, sum x^2, sum y^2, sum xy). */
public final class Correlation implements Serializable {
  private long n;
  private double sumX;
  private double sumY;
  private double sumXx;
  private double sumYy;
  private double sumXy;

  public void add(double x, double y) {
    n++;
    sumX += x;
    sumY += y;
    sumXx += x * x;
    sumYy += y * y;
    sumXy += x * y;
  }

  public Correlation merge(Correlation other) {
    n += other.n;
    sumX += other.sumX;
    sumY += other.sumY;
    sumXx += other.sumXx;
    sumYy += other.sumYy;
    sumXy += other.sumXy;
    return this;
  }

  public long count() {
    return n;
  }

  /** Pearson's r; NaN when fewer than two points or either variable is constant. */
  public double pearson() {
    if (n < 2) {
      return Double.NaN;
    }
    double covariance = sumXy - sumX * sumY / n;
    double varianceX = sumXx - sumX * sumX / n;
    double varianceY = sumYy - sumY * sumY / n;
    if (varianceX <= 0 || varianceY <= 0) {
      return Double.NaN;
    }
    return covariance / Math.sqrt(varianceX * varianceY);
  }
}
