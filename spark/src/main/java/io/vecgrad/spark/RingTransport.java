package io.vecgrad.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Payloads around a ring of task-to-task TCP connections: task r sends to task r+1 and receives
 * from task r-1 (mod N). In N-1 rounds every payload travels once around the ring (a ring
 * all-gather), so each task sends and receives (N-1) payloads and ends with all of them; the sum
 * is then formed locally in rank order, which keeps the replicas bit-identical. Sending runs on
 * its own thread while the task thread receives, so two neighbours writing large payloads at once
 * cannot deadlock on full socket buffers.
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
    private final ExecutorService sender;
    private long messages;

    private RingTransport(int rank, int tasks, SocketChannel next, SocketChannel prev, ServerSocketChannel server) {
        this.rank = rank;
        this.tasks = tasks;
        this.next = next;
        this.prev = prev;
        this.server = server;
        this.sender = tasks > 1 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vecgrad-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        }) : null;
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
    public void gather(byte[] mine, byte[][] all) throws IOException {
        System.arraycopy(mine, 0, all[rank], 0, mine.length);
        ByteBuffer head = ByteBuffer.allocate(8);
        for (int k = 0; k < tasks - 1; k++) {
            int out = Math.floorMod(rank - k, tasks);     // the payload this task forwards this round
            int in = Math.floorMod(rank - k - 1, tasks);  // the payload it receives from its predecessor
            byte[] block = all[out];
            Future<?> sent = sender.submit(() -> {
                ByteBuffer h = ByteBuffer.allocate(8).putInt(out).putInt(block.length).flip();
                ByteBuffer b = ByteBuffer.wrap(block);
                while (h.hasRemaining()) {
                    next.write(h);
                }
                while (b.hasRemaining()) {
                    next.write(b);
                }
                return null;
            });
            readFully(prev, head.clear(), Math.floorMod(rank - 1, tasks));
            int who = head.getInt(0);
            int len = head.getInt(4);
            if (who != in || len != all[in].length) {
                throw new IOException("ring: task " + rank + " expected " + all[in].length + " bytes of task " + in
                        + "'s payload, got " + len + " bytes of task " + who + "'s: the replicas disagree on the model");
            }
            readFully(prev, ByteBuffer.wrap(all[in]), Math.floorMod(rank - 1, tasks));
            try {
                sent.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("ring: interrupted while sending", e);
            } catch (ExecutionException e) {
                throw new IOException("ring: sending to task " + (rank + 1) % tasks + " failed: " + e.getCause().getMessage(),
                        e.getCause());
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
        if (sender != null) {
            sender.shutdownNow();
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
