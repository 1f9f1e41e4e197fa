package io.vecgrad.spark;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Payloads around a ring of task-to-task TCP connections: task r sends to task r+1 and receives
 * from task r-1 (mod N). In N-1 rounds every payload travels once around the ring (a ring
 * all-gather), so each task sends and receives (N-1) payloads and ends with all of them; the sum
 * is then formed locally in rank order, which keeps the replicas bit-identical. One thread
 * moves both directions over non-blocking channels (writing what the next task takes, reading
 * what the previous one sent, waiting in a selector only when neither moves), so two neighbours
 * writing large payloads at once cannot deadlock on full socket buffers, and no hand-off to a
 * sender thread costs a wake-up per message. Payloads go from and to off-heap segments through
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
    private final Selector selector;
    private final SelectionKey writeKey;
    private final SelectionKey readKey;
    /** Direct buffers, so the socket reads and writes the payload in place (a heap buffer costs NIO a copy). */
    private final ByteBuffer sendHead = ByteBuffer.allocateDirect(8);
    private final ByteBuffer recvHead = ByteBuffer.allocateDirect(8);
    private final ByteBuffer[] send = {sendHead, null};
    private MemorySegment[] viewsOf;
    private ByteBuffer[] views;
    private long messages;

    private RingTransport(int rank, int tasks, SocketChannel next, SocketChannel prev, ServerSocketChannel server)
            throws IOException {
        this.rank = rank;
        this.tasks = tasks;
        this.next = next;
        this.prev = prev;
        this.server = server;
        if (tasks > 1) {
            next.configureBlocking(false);
            prev.configureBlocking(false);
            selector = Selector.open();
            writeKey = next.register(selector, 0);
            readKey = prev.register(selector, 0);
        } else {
            selector = null;
            writeKey = null;
            readKey = null;
        }
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
        int from = Math.floorMod(rank - 1, tasks);
        for (int k = 0; k < tasks - 1; k++) {
            int out = Math.floorMod(rank - k, tasks);     // the payload this task forwards this round
            int in = Math.floorMod(rank - k - 1, tasks);  // the payload it receives from its predecessor
            ByteBuffer body = views[out];
            body.limit(off + len).position(off);
            sendHead.clear().putInt(0, out).putInt(4, len);
            send[1] = body;
            recvHead.clear();
            ByteBuffer into = null;
            // one thread moves both directions: write what the next task takes, read what the
            // previous one sent, and sleep in select() only when neither can move
            while (sendHead.hasRemaining() || body.hasRemaining() || into == null || into.hasRemaining()) {
                long moved = 0;
                if (sendHead.hasRemaining() || body.hasRemaining()) {
                    moved += next.write(send);
                }
                ByteBuffer dst = into == null ? recvHead : into;
                if (dst.hasRemaining()) {
                    int n = prev.read(dst);
                    if (n < 0) {
                        throw new IOException("ring: task " + from + " closed its connection (it failed or was stopped)");
                    }
                    moved += n;
                    if (into == null && !recvHead.hasRemaining()) {
                        int who = recvHead.getInt(0);
                        int got = recvHead.getInt(4);
                        if (who != in || got != len) {
                            throw new IOException("ring: task " + rank + " expected " + len + " bytes of task " + in
                                    + "'s payload, got " + got + " bytes of task " + who + "'s: the replicas disagree on the model");
                        }
                        into = views[in];
                        into.limit(off + len).position(off);
                    }
                }
                if (moved == 0) {
                    writeKey.interestOps(sendHead.hasRemaining() || body.hasRemaining() ? SelectionKey.OP_WRITE : 0);
                    readKey.interestOps(into == null || into.hasRemaining() ? SelectionKey.OP_READ : 0);
                    selector.select();
                    selector.selectedKeys().clear();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.io.InterruptedIOException("ring: task " + rank + " interrupted while exchanging");
                    }
                }
            }
            messages++;
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
        if (selector != null) {
            selector.close();
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
