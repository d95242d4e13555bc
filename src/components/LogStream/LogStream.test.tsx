import React from 'react';
import { ReadableStream } from 'stream/web';
import { act, configure, render, screen, waitFor } from '@testing-library/react';
import { liveProxy } from '../../testing/fakeProxy';
import { job } from '../../testing/fixtures';
import { LogStream } from './LogStream';

configure({ asyncUtilTimeout: 10000 });

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
    expect(await screen.findByText('task 1 done')).toBeInTheDocument();
    expect(screen.queryByText(/task 2/)).not.toBeInTheDocument();

    await act(async () => stream.write('"level":"ERROR","msg":"task 2 failed"}\nplain text line\n'));
    expect(await screen.findByText('task 2 failed')).toBeInTheDocument();
    expect(screen.getByText('ERROR')).toBeInTheDocument();
    expect(screen.getByText('plain text line')).toBeInTheDocument();
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
    expect(await screen.findByText('all done')).toBeInTheDocument();
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
});
