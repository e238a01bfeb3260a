import { describe, expect, it } from 'vitest';
import { ApiError, ProtocolError } from '../../src/main/core/errors';
import {
  apiErrorFromResponse,
  apiMessageOf,
  describeShape,
  normaliseViduTime,
  parseViduJob,
  progressOf,
  viduStatusOf,
} from '../../src/main/core/providers/vidu';
import { embeddedErrorStatus } from '../../src/main/core/providers/vidu/errors';

const VIDEO = 'https://cdn.example.com/vidu/task_abc.mp4';

/** The create answer exactly as the seed shows it. */
const CREATED = {
  id: 'task_xxxxx',
  task_id: 'task_xxxxx',
  object: 'video.generation.job',
  model: 'viduq3p-540p',
  status: 'queued',
  progress: 0,
  created_at: 1774507626,
};

function dataShape(data: Record<string, unknown>): unknown {
  return {
    code: 'success',
    message: '',
    data: {
      task_id: 'task_abc',
      status: 'IN_PROGRESS',
      progress: '30%',
      submit_time: 1774507626,
      start_time: 1774507630,
      finish_time: 0,
      fail_reason: '',
      result_url: '',
      ...data,
    },
  };
}

function flatShape(fields: Record<string, unknown>): unknown {
  return {
    id: 'task_abc',
    object: 'video',
    status: 'in_progress',
    progress: 30,
    created_at: 1774507626,
    ...fields,
  };
}

function protocolError(raw: unknown): ProtocolError {
  try {
    parseViduJob(raw, { taskType: 'text_to_video', remoteId: 'task_abc' });
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('parseViduJob: the documented create answer', () => {
  it('becomes a queued snapshot of the submitted mode', () => {
    expect(parseViduJob(CREATED, { taskType: 'image_to_video' })).toEqual({
      provider: 'vidu',
      remoteId: 'task_xxxxx',
      taskType: 'image_to_video',
      status: 'queued',
      createdAt: new Date(1774507626 * 1000).toISOString(),
      startedAt: null,
      endedAt: null,
      outputs: [],
      text: null,
      seed: null,
      cost: { frozen: 0, consumed: 0 },
      error: null,
      availableActions: null,
      progress: 0,
      raw: CREATED,
    });
  });

  it('prefers task_id, falls back to id, and refuses an answer with neither', () => {
    expect(parseViduJob({ ...CREATED, id: 'gen_1', task_id: 'task_2' }, { taskType: 't' }).remoteId).toBe(
      'task_2',
    );
    expect(parseViduJob({ ...CREATED, task_id: undefined, id: 'gen_1' }, { taskType: 't' }).remoteId).toBe(
      'gen_1',
    );
    expect(() => parseViduJob({ status: 'queued', task_id: '', id: null }, { taskType: 't' })).toThrow(
      'UniAll answered without a task id for the video.',
    );
  });
});

describe('parseViduJob: the `data` poll shape', () => {
  it.each([
    ['NOT_START', 'queued'],
    ['SUBMITTED', 'queued'],
    ['QUEUED', 'queued'],
    ['IN_PROGRESS', 'running'],
  ])('%s → %s', (word, status) => {
    const snap = parseViduJob(dataShape({ status: word }), {
      taskType: 'text_to_video',
      remoteId: 'task_abc',
    });
    expect(snap.status).toBe(status);
    expect(snap.outputs).toEqual([]);
    expect(snap.error).toBeNull();
  });

  it('SUCCESS → completed with the result_url as video 0 and the times', () => {
    const raw = dataShape({
      status: 'SUCCESS',
      progress: '100%',
      result_url: VIDEO,
      finish_time: 1774507700,
    });
    const snap = parseViduJob(raw, { taskType: 'start_end_to_video', remoteId: 'task_abc' });
    expect(snap).toMatchObject({
      remoteId: 'task_abc',
      taskType: 'start_end_to_video',
      status: 'completed',
      outputs: [{ kind: 'video', index: 0, url: VIDEO }],
      progress: 100,
      createdAt: '2026-03-26T06:47:06.000Z',
      startedAt: '2026-03-26T06:47:10.000Z',
      endedAt: '2026-03-26T06:48:20.000Z',
      error: null,
      raw,
    });
  });

  it('a finished video URL left in fail_reason (a known gateway quirk) is used', () => {
    const snap = parseViduJob(dataShape({ status: 'SUCCESS', fail_reason: VIDEO, result_url: '' }), {
      taskType: 't',
    });
    expect(snap.outputs).toEqual([{ kind: 'video', index: 0, url: VIDEO }]);
    expect(snap.error).toBeNull();
  });

  it('FAILURE → failed with fail_reason as the message', () => {
    const snap = parseViduJob(
      dataShape({ status: 'FAILURE', fail_reason: 'Image did not pass moderation.' }),
      {
        taskType: 't',
      },
    );
    expect(snap.status).toBe('failed');
    expect(snap.error).toEqual({ code: 'failed', message: 'Image did not pass moderation.' });
    expect(snap.outputs).toEqual([]);
    expect(
      parseViduJob(dataShape({ status: 'FAILURE', fail_reason: '' }), { taskType: 't' }).error?.message,
    ).toBe('UniAll reported the video as failed without giving a reason.');
  });

  it('the polled id names the job even when the answer spells it differently', () => {
    expect(
      parseViduJob(dataShape({ task_id: 'upstream-77' }), { taskType: 't', remoteId: 'task_abc' }).remoteId,
    ).toBe('task_abc');
    expect(parseViduJob(dataShape({ task_id: undefined, id: 'x1' }), { taskType: 't' }).remoteId).toBe('x1');
  });

  it('a cost, when reported, is frozen until completion and consumed then', () => {
    expect(parseViduJob(dataShape({ cost: 120 }), { taskType: 't' }).cost).toEqual({
      frozen: 120,
      consumed: 0,
    });
    expect(
      parseViduJob(dataShape({ status: 'SUCCESS', result_url: VIDEO, cost: '120' }), { taskType: 't' }).cost,
    ).toEqual({ frozen: 120, consumed: 120 });
    expect(parseViduJob(dataShape({ cost: 'free' }), { taskType: 't' }).cost).toEqual({
      frozen: 0,
      consumed: 0,
    });
  });
});

describe('parseViduJob: the `flat` poll shape', () => {
  it.each([
    ['queued', 'queued'],
    ['pending', 'queued'],
    ['in_progress', 'running'],
    ['processing', 'running'],
  ])('%s → %s', (word, status) => {
    expect(parseViduJob(flatShape({ status: word }), { taskType: 't' }).status).toBe(status);
  });

  it('completed → the metadata.url as video 0', () => {
    const snap = parseViduJob(
      flatShape({ status: 'completed', progress: 100, completed_at: 1774507700, metadata: { url: VIDEO } }),
      { taskType: 'reference_to_video', remoteId: 'task_abc' },
    );
    expect(snap).toMatchObject({
      status: 'completed',
      outputs: [{ kind: 'video', index: 0, url: VIDEO }],
      endedAt: '2026-03-26T06:48:20.000Z',
      progress: 100,
    });
  });

  it('failed → the error object, a plain error string, or a default sentence', () => {
    expect(
      parseViduJob(flatShape({ status: 'failed', error: { code: 'content_policy', message: 'Rejected.' } }), {
        taskType: 't',
      }).error,
    ).toEqual({ code: 'content_policy', message: 'Rejected.' });
    expect(
      parseViduJob(flatShape({ status: 'failed', error: 'Upstream timeout' }), { taskType: 't' }).error,
    ).toEqual({
      code: 'failed',
      message: 'Upstream timeout',
    });
    expect(parseViduJob(flatShape({ status: 'failed', error: null }), { taskType: 't' }).error).toEqual({
      code: 'failed',
      message: 'UniAll reported the video as failed without giving a reason.',
    });
  });

  it('tolerates unknown fields and odd values (an object where a string belongs is absent)', () => {
    const snap = parseViduJob(
      flatShape({
        status: 'completed',
        metadata: { url: VIDEO, width: 1280 },
        seed: { n: 1 },
        extra: [1, 2],
      }),
      { taskType: 't' },
    );
    expect(snap.status).toBe('completed');
    expect(snap.seed).toBeNull();
  });
});

describe('parseViduJob: anything else is a ProtocolError that says what arrived', () => {
  it.each<[string, unknown, RegExp]>([
    ['an empty object', {}, /\(an empty object\)/],
    ['an unknown object', { ok: true, result: { state: 'done' } }, /\(top-level keys: ok, result\)/],
    ['data without status', { code: 'success', data: { state: 'done' } }, /\(top-level keys: code, data\)/],
    ['data: null', { code: 'success', data: null }, /\(top-level keys: code, data\)/],
    ['an array', [CREATED], /\(a JSON array\)/],
    ['a string', 'queued', /\(a JSON string\)/],
    ['null', null, /\(null\)/],
    ['status that is not a string', { status: 3 }, /top-level keys: status/],
  ])('%s', (_name, raw, message) => {
    expect(protocolError(raw).message).toMatch(
      /^UniAll answered with a video task shape GenVault does not know/,
    );
    expect(protocolError(raw).message).toMatch(message);
  });

  it('a status neither shape uses is quoted', () => {
    expect(protocolError(dataShape({ status: 'UNKNOWN' })).message).toBe(
      'UniAll reported a video status GenVault does not know ("UNKNOWN").',
    );
    expect(protocolError(flatShape({ status: 'paused' })).message).toMatch(/"paused"/);
  });

  it('finished without a usable video URL', () => {
    for (const raw of [
      dataShape({ status: 'SUCCESS', result_url: '' }),
      dataShape({ status: 'SUCCESS', result_url: 'not-a-url' }),
      flatShape({ status: 'completed', metadata: {} }),
      flatShape({ status: 'completed', metadata: { url: 'ftp://x/y.mp4' } }),
    ]) {
      expect(protocolError(raw).message).toBe(
        'UniAll reported video task_abc as finished but gave no video URL.',
      );
    }
  });

  it('describeShape caps a long key list', () => {
    const wide = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, i]));
    expect(describeShape(wide)).toBe('top-level keys: k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, …');
  });
});

describe('small parsers', () => {
  it('viduStatusOf folds either spelling, any case', () => {
    expect(viduStatusOf(' success ')).toBe('completed');
    expect(viduStatusOf('FAILED')).toBe('failed');
    expect(viduStatusOf('Cancelled')).toBe('failed');
    expect(viduStatusOf('UNKNOWN')).toBeUndefined();
  });

  it('progressOf reads numbers and percentages, clamped', () => {
    expect(progressOf(45)).toBe(45);
    expect(progressOf('45%')).toBe(45);
    expect(progressOf('12.5')).toBe(12.5);
    expect(progressOf(140)).toBe(100);
    expect(progressOf(-3)).toBe(0);
    expect(progressOf('soon')).toBeNull();
    expect(progressOf(null)).toBeNull();
  });

  it('normaliseViduTime reads Unix seconds, milliseconds, numeric strings and ISO; unset is null', () => {
    const iso = '2026-03-26T06:47:06.000Z';
    expect(normaliseViduTime(1774507626)).toBe(iso);
    expect(normaliseViduTime(1774507626000)).toBe(iso);
    expect(normaliseViduTime('1774507626')).toBe(iso);
    expect(normaliseViduTime('2026-03-26T06:47:06Z')).toBe(iso);
    for (const unset of [0, '', '0', null, undefined, 'yesterday', {}])
      expect(normaliseViduTime(unset)).toBeNull();
  });
});

describe('error bodies', () => {
  const KEY = 'sk-live-0123456789abcdef';

  it('reads the message from each gateway error shape', () => {
    expect(apiMessageOf(JSON.stringify({ error: { message: 'bad model', type: 'x', code: 'y' } }))).toBe(
      'bad model',
    );
    expect(apiMessageOf(JSON.stringify({ error: 'plain error' }))).toBe('plain error');
    expect(
      apiMessageOf(JSON.stringify({ code: 'task_not_exist', message: 'task_not_exist', data: null })),
    ).toBe('task_not_exist');
    expect(apiMessageOf(JSON.stringify({ msg: 'from msg' }))).toBe('from msg');
    expect(apiMessageOf(JSON.stringify({ detail: 'from detail' }))).toBe('from detail');
    expect(apiMessageOf('<!DOCTYPE html><html><body>502</body></html>')).toBe('');
    expect(apiMessageOf('upstream timeout')).toBe('upstream timeout');
  });

  it('an empty balance is a 402 that pauses the queue, whatever status the gateway used', () => {
    for (const [status, body] of [
      [402, { error: { message: 'Payment required' } }],
      [403, { error: { message: 'user quota is not enough', code: 'insufficient_user_quota' } }],
      [429, { error: { message: 'You exceeded your current quota.', code: 'insufficient_quota' } }],
      [400, { message: '余额不足' }],
    ] as const) {
      const err = apiErrorFromResponse({
        status,
        bodyText: JSON.stringify(body),
        retryAfter: undefined,
        apiKey: KEY,
      });
      expect(err.status).toBe(402);
      expect(err.pausesQueue).toBe(true);
      expect(err.retryable).toBe(false);
      expect(err.message).toBe(
        'Your UniAll account is out of credits; top it up with your gateway to continue.',
      );
    }
  });

  it('each status gets its sentence, with the gateway words quoted where they help', () => {
    const of = (status: number, message = 'why', retryAfter?: string) =>
      apiErrorFromResponse({
        status,
        bodyText: JSON.stringify({ error: { message } }),
        retryAfter,
        apiKey: KEY,
        now: 0,
      });
    expect(of(400, 'duration must be 1-16.').message).toBe(
      'UniAll rejected the video request as invalid: "duration must be 1-16".',
    );
    expect(of(401).message).toBe(
      'UniAll did not accept the API key; replace it in Settings (or UNIALL_API_KEY).',
    );
    expect(of(403, 'content policy').message).toBe(
      'UniAll refused the request (content policy or permission): "content policy".',
    );
    expect(of(404).message).toMatch(/check the UniAll base URL in Settings/);
    expect(
      apiErrorFromResponse({
        status: 404,
        bodyText: '',
        retryAfter: undefined,
        apiKey: KEY,
        context: { remoteId: 't1' },
      }).message,
    ).toBe('UniAll has no video task t1 for this API key.');
    expect(of(413).message).toMatch(/too large/);
    const limited = of(429, 'slow down', '7');
    expect([limited.message, limited.retryAfterMs, limited.retryable]).toEqual([
      'UniAll is rate limiting requests (too many at once); GenVault will try again shortly.',
      7000,
      true,
    ]);
    expect(of(503).message).toBe('UniAll is unavailable right now (HTTP 503); GenVault will try again.');
    expect(of(409, 'conflict').message).toBe('UniAll rejected the request (HTTP 409): "conflict".');
  });

  it('the key is scrubbed from the kept message', () => {
    const err = apiErrorFromResponse({
      status: 401,
      bodyText: JSON.stringify({ error: { message: `invalid token ${KEY}` } }),
      retryAfter: undefined,
      apiKey: KEY,
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.apiMessage).toBe('invalid token [api key]');
    expect(`${err.message} ${err.apiMessage}`).not.toContain(KEY);
  });

  it('recognises an error reported inside a 200', () => {
    expect(embeddedErrorStatus({ code: 404, message: 'nope' })).toBe(404);
    expect(embeddedErrorStatus({ code: 'task_not_exist', message: 'task_not_exist', data: null })).toBe(404);
    expect(embeddedErrorStatus({ error: { message: 'invalid token', code: 'invalid_api_key' } })).toBe(401);
    expect(embeddedErrorStatus({ error: { message: 'something odd' } })).toBe(400);
    // Task answers and unknown shapes are not errors here (the parser judges them).
    expect(embeddedErrorStatus(CREATED)).toBeNull();
    expect(embeddedErrorStatus(dataShape({}))).toBeNull();
    expect(embeddedErrorStatus({ status: 'failed', error: { message: 'x' } })).toBeNull();
    expect(embeddedErrorStatus({ code: 'success', data: null })).toBeNull();
    expect(embeddedErrorStatus({ ok: true })).toBeNull();
    expect(embeddedErrorStatus([1])).toBeNull();
  });
});
