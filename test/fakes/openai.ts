/**
 * A strict fake of OpenAI's chat-completions API (POST /v1/chat/completions) as the model grader
 * uses it, refusing what the real API refuses with its error shape (400 invalid_request_error):
 * a body that is not JSON, a missing model, messages that are not {role, content}, a
 * response_format json_schema whose name breaks the pattern or whose strict schema leaves a
 * property out of `required` or allows additional properties (OpenAI's structured-output rules),
 * a wrong API key (401). Replies are chat.completion objects. What the "model" answers is the
 * test's `answer(request)`; `mode` simulates outages (HTTP 500, no reply in time, garbage content).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GradeRequest {
  question: string;
  reference_answer: string;
  key_points: { id: string; claim: string }[];
  answer: string;
}

export type Verdicts = { id: string; verdict: 'covered' | 'missed' | 'contradicted'; quote: string }[];

export class FakeOpenAI {
  requests: GradeRequest[] = [];
  /** Requests refused with 4xx (a strict fake's refusals mean the client is wrong). */
  refused: { status: number; message: string }[] = [];
  mode: 'ok' | 'error' | 'slow' | 'garbage' = 'ok';
  private server: Server | null = null;

  constructor(
    private readonly answer: (req: GradeRequest) => Verdicts,
    private readonly apiKey: string | null = null,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }

  private refuse(res: ServerResponse, status: number, message: string, param: string | null = null): void {
    this.refused.push({ status, message });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { message, type: status === 401 ? 'invalid_request_error' : 'invalid_request_error', param, code: status === 401 ? 'invalid_api_key' : null },
      }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return this.refuse(res, 404, `Unknown request URL: ${req.method} ${req.url}`);
    if (this.apiKey && req.headers.authorization !== `Bearer ${this.apiKey}`) return this.refuse(res, 401, 'Incorrect API key provided.');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return this.refuse(res, 400, 'Content-Type must be application/json');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.refuse(res, 400, 'We could not parse the JSON body of your request.');
    }
    if (typeof body.model !== 'string' || !body.model) return this.refuse(res, 400, 'you must provide a model parameter', 'model');
    const messages = body.messages;
    if (!Array.isArray(messages) || messages.length === 0) return this.refuse(res, 400, "'messages' must be a non-empty array", 'messages');
    for (const m of messages as Record<string, unknown>[]) {
      if (!['system', 'user', 'assistant', 'developer'].includes(String(m.role)) || typeof m.content !== 'string')
        return this.refuse(res, 400, 'Invalid message', 'messages');
    }
    if (body.temperature !== undefined && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 2))
      return this.refuse(res, 400, 'Invalid temperature', 'temperature');
    const rf = body.response_format as { type?: string; json_schema?: { name?: string; strict?: boolean; schema?: unknown } } | undefined;
    if (rf) {
      if (rf.type !== 'json_schema' || !rf.json_schema) return this.refuse(res, 400, 'Invalid response_format', 'response_format');
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(rf.json_schema.name ?? ''))
        return this.refuse(res, 400, 'Invalid response_format.json_schema.name', 'response_format.json_schema.name');
      if (rf.json_schema.strict) {
        const problem = strictProblem(rf.json_schema.schema, 'schema');
        if (problem) return this.refuse(res, 400, `Invalid schema for response_format 'x': ${problem}`, 'response_format');
      }
    }
    const user = (messages as { role: string; content: string }[]).find((m) => m.role === 'user');
    let request: GradeRequest;
    try {
      request = JSON.parse(user!.content) as GradeRequest;
    } catch {
      return this.refuse(res, 400, 'the fake expects the grader’s JSON in the user message');
    }
    this.requests.push(request);
    if (this.mode === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }),
      );
    }
    if (this.mode === 'slow') return; // never answers: the client's timeout must fire
    const content = this.mode === 'garbage' ? 'Sure! Here are my thoughts on the answer…' : JSON.stringify({ points: this.answer(request) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
      }),
    );
  }
}

/** OpenAI's strict structured-output rules: every object lists all its properties as required and forbids others. */
function strictProblem(schema: unknown, path: string): string | null {
  if (!schema || typeof schema !== 'object') return null;
  const s = schema as { type?: string; properties?: Record<string, unknown>; required?: string[]; additionalProperties?: unknown; items?: unknown };
  if (s.type === 'object') {
    if (s.additionalProperties !== false) return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    const props = Object.keys(s.properties ?? {});
    const missing = props.filter((p) => !(s.required ?? []).includes(p));
    if (missing.length)
      return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      const p = strictProblem(v, `${path}, 'properties', '${k}'`);
      if (p) return p;
    }
  }
  if (s.type === 'array') return strictProblem(s.items, `${path}, 'items'`);
  return null;
}
