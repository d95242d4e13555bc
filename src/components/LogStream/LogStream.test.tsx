import React from 'react';
import { ReadableStream } from 'stream/web';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { dateTimeFormat } from '@grafana/data';
import { testIds } from '../testIds';
import { liveProxy } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { LogStream } from './LogStream';

/** A response body the test writes to chunk by chunk, as the proxy streams a running Pod's log. */
function controllableBody() {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return {
    body,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

const proxyWithJob = (phase: 'Running' | 'Succeeded') => liveProxy([job({ id: 'log-gen-abcde', phase })]);

const fetchMock = jest.fn();
beforeEach(() => {
  fetchMock.mockReset();
  global.fetch = fetchMock;
});

describe('LogStream', () => {
  it('shows streamed lines as they arrive, including a line split across chunks', async () => {
    proxyWithJob('Running');
    const stream = controllableBody();
    fetchMock.mockResolvedValueOnce({ ok: true, status: 200, body: stream.body });
    render(<LogStream id="log-gen-abcde" />);

    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/plugin-proxy/flowkube-jobs-app/api/v1/jobs/log-gen-abcde/logs?follow=true');
    expect(init.credentials).toBe('same-origin');

    await act(async () => {
      stream.write('{"ts":"2026-11-26T22:00:01Z","level":"INFO","msg":"task 1 done"}\n{"ts":"2026-11-26T22:00:02Z",');
    });
    expect(await screen.findByText(/task 1 done/)).toBeInTheDocument();
    expect(screen.queryByText(/task 2/)).not.toBeInTheDocument();

    await act(async () => stream.write('"level":"ERROR","msg":"task 2 failed"}\nplain text line\n'));
    expect(await screen.findByText(/task 2 failed/)).toBeInTheDocument();
    expect(screen.getByText('plain text line')).toBeInTheDocument();
    expect(screen.getByLabelText('Error (1)')).toBeInTheDocument();
  });

  it('reconnects while the job runs, without repeating lines already shown', async () => {
    jest.useFakeTimers();
    proxyWithJob('Running');
    const first = controllableBody();
    const second = controllableBody();
    fetchMock
      .mockResolvedValueOnce({ ok: true, status: 200, body: first.body })
      .mockResolvedValueOnce({ ok: true, status: 200, body: second.body });
    render(<LogStream id="log-gen-abcde" />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    // A proxy in front of Grafana cuts the request: the stream ends while the job still runs.
    await act(async () => {
      first.write('line one\n');
      first.end();
    });
    await act(async () => void jest.advanceTimersByTime(5000));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    await act(async () => second.write('line one\nline two\n'));

    expect(await screen.findByText('line two')).toBeInTheDocument();
    expect(screen.getAllByText('line one')).toHaveLength(1);
    jest.useRealTimers();
  });

  it('reads a finished job’s log once and stops', async () => {
    jest.useFakeTimers();
    proxyWithJob('Succeeded');
    const stream = controllableBody();
    fetchMock.mockResolvedValue({ ok: true, status: 200, body: stream.body });
    render(<LogStream id="log-gen-abcde" />);
    expect(await screen.findByText('The job wrote no log lines.')).toBeInTheDocument();
    await act(async () => {
      stream.write('{"level":"INFO","msg":"all done"}\n');
      stream.end();
    });
    expect(await screen.findByText('{"level":"INFO","msg":"all done"}')).toBeInTheDocument();
    await act(async () => void jest.advanceTimersByTime(60000));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    jest.useRealTimers();
  });

  it('aborts the stream when the page goes away', async () => {
    proxyWithJob('Running');
    const stream = controllableBody();
    fetchMock.mockResolvedValueOnce({ ok: true, status: 200, body: stream.body });
    const { unmount } = render(<LogStream id="log-gen-abcde" />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    const signal: AbortSignal = fetchMock.mock.calls[0][1].signal;
    expect(signal.aborted).toBe(false);
    unmount();
    expect(signal.aborted).toBe(true);
  });

  it('shows a JSON line as the worker wrote it: a 19-digit seed keeps every digit', async () => {
    proxyWithJob('Running');
    const stream = controllableBody();
    fetchMock.mockResolvedValueOnce({ ok: true, status: 200, body: stream.body });
    render(<LogStream id="log-gen-abcde" />);
    const raw =
      '{"ts":"2026-11-26T22:00:01.250Z","level":"INFO","msg":"seeded","seed":1234567890123456789,"ratio":1.50}';
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    await act(async () => stream.write(raw + '\n'));
    const row = await screen.findByTestId(testIds.jobDetail.logLine);
    expect(row).toHaveTextContent(raw);
    expect(row.textContent).not.toContain('1234567890123456800');
    // the time in the page's format, the raw value in its tooltip
    const time = within(row).getByTitle('2026-11-26T22:00:01.250Z');
    expect(time).toHaveTextContent(dateTimeFormat(Date.parse('2026-11-26T22:00:01.250Z')));
    expect(time.textContent).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('drops the "has not started yet" alert as soon as the stream opens, while the job still runs', async () => {
    jest.useFakeTimers();
    proxyWithJob('Running');
    const stream = controllableBody();
    fetchMock
      .mockResolvedValueOnce({
        ok: false,
        status: 409,
        text: async () => '{"error":{"message":"job \\"log-gen-abcde\\" has not started yet (Pending)"}}',
      })
      .mockResolvedValueOnce({ ok: true, status: 200, body: stream.body });
    render(<LogStream id="log-gen-abcde" />);
    expect(await screen.findByText(/has not started yet \(Pending\)/)).toBeInTheDocument();
    await act(async () => void jest.advanceTimersByTime(2500));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.queryByText(/has not started yet/)).not.toBeInTheDocument());
    jest.useRealTimers();
  });

  it('filters and highlights by search, filters by level, and wraps on demand', async () => {
    proxyWithJob('Succeeded');
    const stream = controllableBody();
    fetchMock.mockResolvedValueOnce({ ok: true, status: 200, body: stream.body });
    render(<LogStream id="log-gen-abcde" />);
    await act(async () => {
      stream.write('{"level":"ERROR","msg":"disk full"}\nWARN Disk slow\nINFO all good\nno level here\n');
      stream.end();
    });
    await screen.findByText('no level here');
    expect(screen.getAllByTestId(testIds.jobDetail.logLine)).toHaveLength(4);

    fireEvent.change(screen.getByTestId(testIds.jobDetail.logSearch), { target: { value: 'disk' } });
    const rows = await screen.findAllByTestId(testIds.jobDetail.logLine);
    expect(rows.map((r) => r.querySelector('mark')?.textContent)).toEqual(['disk', 'Disk']);
    expect(screen.getByText('2 of 4 lines')).toBeInTheDocument();

    fireEvent.change(screen.getByTestId(testIds.jobDetail.logSearch), { target: { value: '' } });
    fireEvent.click(screen.getByLabelText('Warning (1)'));
    fireEvent.click(screen.getByLabelText('No level (1)'));
    expect(screen.getAllByTestId(testIds.jobDetail.logLine).map((r) => r.textContent)).toEqual([
      expect.stringContaining('WARN Disk slow'),
      expect.stringContaining('no level here'),
    ]);

    const text = () => screen.getByText('WARN Disk slow');
    const wrapped = getComputedStyle(text()).whiteSpace;
    fireEvent.click(screen.getByTestId(testIds.jobDetail.logWrap));
    expect(getComputedStyle(text()).whiteSpace).not.toBe(wrapped);
  });

  it('follows the end; scrolling up pauses, "Jump to end" follows again', async () => {
    proxyWithJob('Running');
    const stream = controllableBody();
    fetchMock.mockResolvedValueOnce({ ok: true, status: 200, body: stream.body });
    render(<LogStream id="log-gen-abcde" />);
    const box = screen.getByRole('log');
    // jsdom lays nothing out: give the box a size and a scroll position that behaves like a browser's
    let scrollTop = 0;
    let scrollHeight = 100;
    Object.defineProperty(box, 'clientHeight', { value: 100 });
    Object.defineProperty(box, 'scrollHeight', { get: () => scrollHeight });
    Object.defineProperty(box, 'scrollTop', {
      get: () => scrollTop,
      set: (v: number) => void (scrollTop = Math.min(v, scrollHeight - 100)),
    });
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));

    scrollHeight = 1000;
    await act(async () => stream.write('line 1\nline 2\n'));
    await screen.findByText('line 2');
    expect(scrollTop).toBe(900);
    expect(screen.getByTestId(testIds.jobDetail.logFollow)).toHaveTextContent('Pause');

    scrollTop = 300;
    fireEvent.scroll(box);
    expect(await screen.findByText('Jump to end')).toBeInTheDocument();
    scrollHeight = 2000;
    await act(async () => stream.write('line 3\n'));
    await screen.findByText('line 3');
    expect(scrollTop).toBe(300);

    fireEvent.click(screen.getByTestId(testIds.jobDetail.logFollow));
    expect(scrollTop).toBe(1900);
    expect(screen.getByTestId(testIds.jobDetail.logFollow)).toHaveTextContent('Pause');
  });

  it('downloads the whole log from the proxy as <id>.log, and copies one line', async () => {
    proxyWithJob('Succeeded');
    const stream = controllableBody();
    fetchMock
      .mockResolvedValueOnce({ ok: true, status: 200, body: stream.body })
      .mockResolvedValueOnce({ ok: true, status: 200, text: async () => 'first\nsecond\n' });
    // jsdom's Blob cannot be read back (no text(), and its FileReader never loads here): record what was put in.
    const blobParts: BlobPart[][] = [];
    const RealBlob = global.Blob;
    global.Blob = jest.fn(
      (parts: BlobPart[]) => (blobParts.push(parts), new RealBlob(parts))
    ) as unknown as typeof Blob;
    URL.createObjectURL = jest.fn(() => 'blob:log');
    URL.revokeObjectURL = jest.fn();
    const clicked: HTMLAnchorElement[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      clicked.push(this);
    });
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    // ClipboardButton uses the Clipboard API only in a secure context, as browsers allow it only there.
    Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
    render(<LogStream id="log-gen-abcde" />);
    await act(async () => {
      stream.write('second\n');
      stream.end();
    });
    await screen.findByText('second');

    fireEvent.click(screen.getByTestId(testIds.jobDetail.logDownload));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(fetchMock.mock.calls[1][0]).toBe('/api/plugin-proxy/flowkube-jobs-app/api/v1/jobs/log-gen-abcde/logs');
    expect(clicked[0].download).toBe('log-gen-abcde.log');
    expect(blobParts).toEqual([['first\nsecond\n']]);
    click.mockRestore();
    global.Blob = RealBlob;

    fireEvent.click(screen.getByRole('button', { name: 'Copy line 1' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('second'));
  });
});
