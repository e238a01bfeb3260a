import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../src/main/core/archive/download';
import { parseInputReport } from '../../src/main/core/archive/media';
import { describeContent, sniffMedia } from '../../src/main/core/archive/sniff';
import { noiseImage } from './fixtures';

function ftyp(brand: string): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from(`ftyp${brand}\0\0\0\0isomavc1`, 'latin1')]);
}

describe('sniffMedia', () => {
  it.each([
    ['png', 'image/png', 'png'],
    ['jpeg', 'image/jpeg', 'jpg'],
    ['webp', 'image/webp', 'webp'],
    ['gif', 'image/gif', 'gif'],
  ] as const)('recognises a real %s', async (format, mime, ext) => {
    const bytes = await noiseImage(8, 8, format);
    expect(sniffMedia(bytes.subarray(0, 64))).toEqual({ kind: 'image', mime, ext });
  });

  it('tells MP4 from QuickTime by the ftyp brand and refuses still-image brands', () => {
    expect(sniffMedia(ftyp('isom'))).toEqual({ kind: 'video', mime: 'video/mp4', ext: 'mp4' });
    expect(sniffMedia(ftyp('qt  '))).toEqual({ kind: 'video', mime: 'video/quicktime', ext: 'mov' });
    expect(sniffMedia(ftyp('avif'))).toBeNull();
    expect(sniffMedia(ftyp('heic'))).toBeNull();
  });

  it('accepts EBML only with the webm doctype', () => {
    const ebml = (doctype: string) =>
      Buffer.concat([
        Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x80 | doctype.length]),
        Buffer.from(doctype),
      ]);
    expect(sniffMedia(ebml('webm'))).toEqual({ kind: 'video', mime: 'video/webm', ext: 'webm' });
    expect(sniffMedia(ebml('matroska'))).toBeNull();
  });

  it('needs the whole signature', () => {
    expect(sniffMedia(Buffer.from([0x89, 0x50, 0x4e]))).toBeNull();
    expect(sniffMedia(Buffer.alloc(0))).toBeNull();
  });
});

describe('describeContent', () => {
  it.each([
    ['\uFEFF\n  <!DOCTYPE html><html>', 'a web page'],
    ['<html><head><title>403</title>', 'a web page'],
    ['<?xml version="1.0"?><Error><Code>AccessDenied', 'an XML document'],
    ['{"code":404,"message":"gone"}', 'a JSON document'],
    ['[1,2,3]', 'a JSON document'],
    ['Service temporarily unavailable\r\n', 'a text document'],
    ['', 'an empty file'],
  ])('calls %j %s', (text, expected) => {
    expect(describeContent(Buffer.from(text))).toBe(expected);
  });

  it('calls binary noise unrecognised and a known medium by its type', () => {
    expect(describeContent(Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x10]))).toBe('an unrecognised file');
    expect(describeContent(ftyp('isom'))).toBe('a video (video/mp4)');
  });

  it('does not mistake a multi-byte character cut at the sniff limit for binary', () => {
    const text = Buffer.from(`Fehler: Datei nicht gefunden — ${'ä'.repeat(20)}`);
    expect(describeContent(text.subarray(0, text.length - 1))).toBe('a text document');
  });
});

describe('parseContentRange', () => {
  it('reads start, end and total', () => {
    expect(parseContentRange('bytes 100-199/200')).toEqual({ start: 100, end: 199, total: 200 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9, total: null });
  });

  it.each([undefined, '', 'bytes */200', 'bytes 10-5/200', 'bytes 0-200/200', 'items 0-1/2'])(
    'refuses %j',
    (value) => {
      expect(parseContentRange(value)).toBeNull();
    },
  );
});

describe('parseInputReport', () => {
  const report = [
    "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':",
    '  Duration: 00:01:05.25, start: 0.000000, bitrate: 2000 kb/s',
    '    Stream #0:0(und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 128 kb/s (default)',
    '    Stream #0:1(und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1280x720 [SAR 1:1 DAR 16:9], 24 fps',
    'Stream mapping:',
    "Output #0, null, to 'pipe:':",
    '    Stream #0:0(und): Video: wrapped_avframe, yuv420p, 320x240, q=2-31, 200 kb/s',
  ].join('\n');

  it('reads the input video stream, not the output one, past an audio stream and hex codec tags', () => {
    expect(parseInputReport(report)).toEqual({ width: 1280, height: 720, durationMs: 65_250 });
  });

  it('leaves the duration null when the container states none', () => {
    const noDuration = report.replace('Duration: 00:01:05.25', 'Duration: N/A');
    expect(parseInputReport(noDuration)).toEqual({ width: 1280, height: 720, durationMs: null });
  });

  it('returns null without a video stream', () => {
    expect(
      parseInputReport("Input #0, mp3, from 'a.mp3':\n  Duration: 00:00:03.00\n    Stream #0:0: Audio: mp3"),
    ).toBeNull();
  });
});
