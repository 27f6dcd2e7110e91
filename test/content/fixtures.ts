/** Writes small content/ trees for loader tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SEED = '001_4ed4479f1e41f6b8.txt';

export function questionFile(id: string, over: { front?: string; body?: string } = {}): string {
  const front =
    over.front ??
    `id: ${id}
title: The CAP theorem
topics: [cap, distributed-systems]
aliases: ["brewer's theorem"]
level: mid
kind: technical
sources:
  - seed: ${SEED}
    position: 7
keyPoints:
  - id: three-guarantees
    point: Names consistency, availability and partition tolerance
    phrases: ["partition tolerance", "consistency availability"]
  - id: choose
    point: During a partition a system chooses consistency or availability
    phrases: ["choose consistency availability", "cp or ap", "trade off"]
  - id: examples
    point: Gives a CP and an AP example
    phrases: ["zookeeper", "cassandra", "dynamo"]`;
  const body =
    over.body ??
    `## Question

Can you explain the CAP theorem?

## What interviewers look for

Trade-offs in distributed systems.

## Sample answer — ${SEED}#7

A distributed system cannot have all three.
`;
  return `---\n${front}\n---\n\n${body}`;
}

export function contentDir(files: Record<string, string>, manifest?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'qb-content-'));
  mkdirSync(join(dir, 'questions'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'questions', name), text);
  writeFileSync(
    join(dir, 'sources.yaml'),
    manifest ?? `${SEED}:\n  - position: 7\n    excerpt: "Can you explain the CAP theorem"\n    id: cap-theorem\n`,
  );
  return dir;
}
