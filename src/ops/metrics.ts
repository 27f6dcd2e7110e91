/**
 * Prometheus metrics (prom-client), one registry per app: process metrics plus what operators
 * watch — posts, reveals, answers recorded and rejected by reason, job durations and failures by
 * queue, queue depth (read at scrape time), platform 429s, Redis reconnects.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricEvent, Metrics } from '../core/ports.js';

export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly posts = new Counter({ name: 'quizbot_posts_total', help: 'Questions posted', labelNames: ['platform', 'mode'], registers: [this.registry] });
  private readonly reveals = new Counter({
    name: 'quizbot_reveals_total',
    help: 'Rounds revealed',
    labelNames: ['platform', 'mode'],
    registers: [this.registry],
  });
  private readonly recorded = new Counter({
    name: 'quizbot_answers_recorded_total',
    help: 'Answers recorded (new or replacing an earlier one)',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'quizbot_answers_rejected_total',
    help: 'Replies not recorded, by reason',
    labelNames: ['platform', 'reason'],
    registers: [this.registry],
  });
  private readonly withdrawn = new Counter({
    name: 'quizbot_answers_withdrawn_total',
    help: 'Answers withdrawn before the reveal (the member deleted the message)',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly jobDuration = new Histogram({
    name: 'quizbot_job_duration_seconds',
    help: 'Job run time by queue',
    labelNames: ['queue'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly jobFailures = new Counter({
    name: 'quizbot_job_failures_total',
    help: 'Failed job attempts by queue',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'quizbot_platform_rate_limited_total',
    help: 'HTTP 429 answers from a chat platform',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly duplicates = new Counter({
    name: 'quizbot_duplicate_events_total',
    help: 'Platform events dropped as redeliveries',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly unreplicated = new Counter({
    name: 'quizbot_answers_unreplicated_total',
    help: 'Answers acknowledged before reaching the QUIZBOT_REDIS_WAIT replicas (WAIT timed out short)',
    registers: [this.registry],
  });
  private readonly dropped = new Counter({
    name: 'quizbot_events_dropped_total',
    help: 'Gateway events dropped because this process no longer held their shard (paused past its lease)',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly reconnects = new Counter({ name: 'quizbot_redis_reconnects_total', help: 'Redis reconnection attempts', registers: [this.registry] });
  private readonly modelGrades = new Counter({
    name: 'quizbot_model_grades_total',
    help: 'Answers graded by the model grader (graded, cached) or lexically in its place (fallback)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly revealGradingCpu = new Counter({
    name: 'quizbot_reveal_grading_cpu_seconds_total',
    help: 'CPU time reveals spent on copy detection and grading (their own slices, not the work interleaved with them)',
    registers: [this.registry],
  });
  private readonly revealGraded = new Counter({
    name: 'quizbot_reveal_graded_answers_total',
    help: 'Answers checked for copies and graded by reveals',
    registers: [this.registry],
  });
  private depthSource: (() => Promise<Record<string, Record<string, number>>>) | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'quizbot_' });
    const depth = () => this.depthSource;
    new Gauge({
      name: 'quizbot_queue_depth',
      help: 'Jobs per queue and state (waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const source = depth();
        if (!source) return;
        const counts = await source().catch(() => null);
        if (!counts) return;
        for (const [queue, states] of Object.entries(counts)) {
          for (const state of ['waiting', 'delayed', 'active', 'failed']) this.set({ queue, state }, states[state] ?? 0);
        }
      },
    });
  }

  /** Where queue depth is read from at scrape time (the job runtime, once it runs). */
  queueDepthFrom(source: () => Promise<Record<string, Record<string, number>>>): void {
    this.depthSource = source;
  }

  record(e: MetricEvent): void {
    switch (e.kind) {
      case 'posted':
        return this.posts.inc({ platform: e.platform, mode: e.mode });
      case 'revealed':
        return this.reveals.inc({ platform: e.platform, mode: e.mode });
      case 'answer':
        if (e.outcome === 'recorded' || e.outcome === 'replaced') this.recorded.inc({ platform: e.platform });
        else if (e.outcome === 'withdrawn') this.withdrawn.inc({ platform: e.platform });
        else this.rejected.inc({ platform: e.platform, reason: e.outcome });
        return;
      case 'job':
        this.jobDuration.observe({ queue: e.queue }, e.seconds);
        if (e.failed) this.jobFailures.inc({ queue: e.queue });
        return;
      case 'rate-limited':
        return this.rateLimited.inc({ platform: e.platform });
      case 'redis-reconnect':
        return this.reconnects.inc();
      case 'duplicate-event':
        return this.duplicates.inc({ platform: e.platform });
      case 'unreplicated-answer':
        return this.unreplicated.inc();
      case 'event-dropped':
        return this.dropped.inc({ platform: e.platform });
      case 'model-grade':
        return this.modelGrades.inc({ outcome: e.outcome });
      case 'reveal-graded':
        this.revealGraded.inc(e.answers);
        this.revealGradingCpu.inc(e.cpuSeconds);
        return;
    }
  }

  /** One series' current value (tests wait on it as a positive signal). */
  async value(name: string, labels: Record<string, string> = {}): Promise<number> {
    const metric = await this.registry.getSingleMetric(name)?.get();
    const hit = metric?.values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
    return hit?.value ?? 0;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
