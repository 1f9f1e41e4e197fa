package io.vecgrad.spark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Payloads around a ring of task-to-task TCP connections: task r sends to task r+1 and receives
 * from task r-1 (mod N). In N-1 rounds every payload travels once around the ring (a ring
 * all-gather), so each task sends and receives (N-1) payloads and ends with all of them; the sum
 * is then formed locally in rank order, which keeps the replicas bit-identical. Sending runs on
 * its own thread while the task thread receives, so two neighbours writing large payloads at once
 * cannot deadlock on full socket buffers. Payloads go from and to off-heap segments through
 * direct buffers (no copy in NIO), headers and views are made once; connections set
 * {@code TCP_NODELAY} (a step's last message must not wait for Nagle's timer) and leave the
 * socket buffer sizes to the kernel's auto-tuning.
 *
 * <p>Peers find each other through the one allGather at the start of the job (host from the
 * barrier's task infos, port from the allGather); a task on the same host as its peer connects
 * over loopback. Each connection opens with the job's random token and the sender's rank. A
 * failed or killed peer closes its sockets, so its neighbours' reads end with an error naming it,
 * and blocked reads are interruptible (Spark interrupts the tasks of a failed barrier stage).
 */
final class RingTransport implements Transport {
    private final int rank;
    private final int tasks;
    private final SocketChannel next;
    private final SocketChannel prev;
    private final ServerSocketChannel server;
    private final Sender sender;
    /** Direct buffers, so the socket reads and writes the payload in place (a heap buffer costs NIO a copy). */
    private final ByteBuffer sendHead = ByteBuffer.allocateDirect(8);
    private final ByteBuffer recvHead = ByteBuffer.allocateDirect(8);
    private final ByteBuffer[] send = {sendHead, null};
    private MemorySegment[] viewsOf;
    private ByteBuffer[] views;
    private long messages;

    private RingTransport(int rank, int tasks, SocketChannel next, SocketChannel prev, ServerSocketChannel server) {
        this.rank = rank;
        this.tasks = tasks;
        this.next = next;
        this.prev = prev;
        this.server = server;
        this.sender = tasks > 1 ? new Sender(next, rank) : null;
    }

    /** A listening socket on an ephemeral port of every interface; its port goes into the setup allGather. */
    static ServerSocketChannel listen() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(0));
    }

    /**
     * Connects the ring: to task rank+1 at {@code hosts/ports}, and accepts task rank-1.
     *
     * @param timeoutMillis how long to wait for the previous task to connect
     */
    static RingTransport connect(int rank, int tasks, String[] hosts, int[] ports, long token,
                                 ServerSocketChannel server, int timeoutMillis) throws IOException {
        if (tasks == 1) {
            return new RingTransport(rank, 1, null, null, server);
        }
        int to = (rank + 1) % tasks;
        int from = (rank - 1 + tasks) % tasks;
        SocketChannel next = null;
        SocketChannel prev = null;
        try {
            InetAddress host = hosts[to].equals(hosts[rank]) ? InetAddress.getLoopbackAddress() : InetAddress.getByName(hosts[to]);
            next = SocketChannel.open(new InetSocketAddress(host, ports[to]));
            next.socket().setTcpNoDelay(true);
            ByteBuffer hello = ByteBuffer.allocate(12).putLong(token).putInt(rank).flip();
            while (hello.hasRemaining()) {
                next.write(hello);
            }
            server.socket().setSoTimeout(timeoutMillis);
            prev = server.socket().accept().getChannel();
            prev.socket().setTcpNoDelay(true);
            ByteBuffer got = ByteBuffer.allocate(12);
            readFully(prev, got, from);
            long t = got.getLong(0);
            int r = got.getInt(8);
            if (t != token || r != from) {
                throw new IOException("ring: unexpected connection (rank " + r + ", token " + (t == token ? "ok" : "wrong")
                        + "), expected task " + from + " of this job");
            }
            return new RingTransport(rank, tasks, next, prev, server);
        } catch (IOException e) {
            if (next != null) {
                next.close();
            }
            if (prev != null) {
                prev.close();
            }
            throw new IOException("ring: task " + rank + " could not connect to its neighbours (task " + to + " at "
                    + hosts[to] + ":" + ports[to] + ", task " + from + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void gather(MemorySegment[] all, long offset, long length) throws IOException {
        if (tasks == 1) {
            return;
        }
        if (all != viewsOf) { // views over the payload segments, made once: no allocation per step
            views = new ByteBuffer[tasks];
            for (int r = 0; r < tasks; r++) {
                views[r] = all[r].asByteBuffer();
            }
            viewsOf = all;
        }
        int off = Math.toIntExact(offset);
        int len = Math.toIntExact(length);
        for (int k = 0; k < tasks - 1; k++) {
            int out = Math.floorMod(rank - k, tasks);     // the payload this task forwards this round
            int in = Math.floorMod(rank - k - 1, tasks);  // the payload it receives from its predecessor
            ByteBuffer body = views[out];
            body.limit(off + len).position(off);
            sendHead.clear().putInt(0, out).putInt(4, len);
            send[1] = body;
            sender.hand(send);
            readFully(prev, recvHead.clear(), Math.floorMod(rank - 1, tasks));
            int who = recvHead.getInt(0);
            int got = recvHead.getInt(4);
            if (who != in || got != len) {
                throw new IOException("ring: task " + rank + " expected " + len + " bytes of task " + in
                        + "'s payload, got " + got + " bytes of task " + who + "'s: the replicas disagree on the model");
            }
            ByteBuffer into = views[in];
            into.limit(off + len).position(off);
            readFully(prev, into, Math.floorMod(rank - 1, tasks));
            sender.await(rank, tasks);
            messages++;
        }
    }

    /**
     * The thread that writes to the next task while the task thread reads from the previous one
     * (two neighbours writing large payloads at once would otherwise deadlock on full socket
     * buffers). One hand-off at a time; it reuses its buffers, so a step allocates nothing here.
     */
    private static final class Sender implements Runnable {
        private final SocketChannel next;
        private final Thread thread;
        private final java.util.concurrent.ArrayBlockingQueue<ByteBuffer[]> work = new java.util.concurrent.ArrayBlockingQueue<>(1);
        private final java.util.concurrent.ArrayBlockingQueue<Object> done = new java.util.concurrent.ArrayBlockingQueue<>(1);
        private static final Object OK = new Object();

        Sender(SocketChannel next, int rank) {
            this.next = next;
            this.thread = Thread.ofPlatform().daemon().name("vecgrad-ring-send-" + rank).unstarted(this);
            thread.start();
        }

        void hand(ByteBuffer[] buffers) {
            work.add(buffers);
        }

        void await(int rank, int tasks) throws IOException {
            Object r;
            try {
                r = done.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("ring: interrupted while sending", e);
            }
            if (r instanceof IOException e) {
                throw new IOException("ring: sending to task " + (rank + 1) % tasks + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void run() {
            try {
                while (true) {
                    ByteBuffer[] b = work.take();
                    Object result = OK;
                    try {
                        while (b[0].hasRemaining() || b[1].hasRemaining()) {
                            next.write(b);
                        }
                    } catch (IOException e) {
                        result = e;
                    }
                    done.add(result);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        void stop() {
            thread.interrupt();
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer buf, int peer) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException("ring: task " + peer + " closed its connection (it failed or was stopped)");
            }
        }
    }

    @Override
    public long messages() {
        return messages;
    }

    @Override
    public void close() throws IOException {
        if (sender != null) {
            sender.stop();
        }
        try {
            if (next != null) {
                next.close();
            }
            if (prev != null) {
                prev.close();
            }
        } finally {
            server.close();
        }
    }
}
