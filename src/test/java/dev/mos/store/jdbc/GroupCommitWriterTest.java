package dev.mos.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mos.store.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class GroupCommitWriterTest {

    @TempDir
    Path dir;

    /** Records what reached the database; the first batch can be held inside its transaction. */
    private static final class Recording implements GroupCommitWriter.BatchWork<String, String> {
        final List<String> written = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final boolean holdFirst;

        Recording(boolean holdFirst) {
            this.holdFirst = holdFirst;
        }

        @Override
        public List<String> write(Connection connection, List<String> batch) {
            entered.countDown();
            if (holdFirst && written.isEmpty()) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            written.addAll(batch);
            return batch.stream().map(s -> s + "!").toList();
        }
    }

    private SQLiteDataSource dataSource() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("writer.db"));
        return ds;
    }

    @Test
    void callersAreAnsweredInOrderAfterTheCommit() throws Exception {
        Recording work = new Recording(false);
        try (GroupCommitWriter<String, String> writer = new GroupCommitWriter<>("t", dataSource(), work, 16, 5_000)) {
            CompletableFuture<String> a = writer.submitAsync("a");
            String b = writer.submit("b");
            assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("a!");
            assertThat(b).isEqualTo("b!");
            assertThat(work.written).containsExactly("a", "b");
        }
    }

    @Test
    void aCommitThatTakesTooLongFailsItsCallersAndThoseQueuedBehindItWhichAreThenNeverWritten() throws Exception {
        Recording work = new Recording(true);
        try (GroupCommitWriter<String, String> writer = new GroupCommitWriter<>("t", dataSource(), work, 16, 200)) {
            CompletableFuture<String> stuck = writer.submitAsync("stuck");
            assertThat(work.entered.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> queued = writer.submitAsync("queued");

            for (CompletableFuture<String> f : List.of(stuck, queued)) {
                assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(StoreUnavailableException.class)
                        .hasMessage("the store did not commit within 200 ms");
            }

            work.release.countDown();
            assertThat(writer.submit("after")).isEqualTo("after!");
            // the caller told of a failure may retry: what it was told failed while queued was not written
            assertThat(work.written).containsExactly("stuck", "after");
        }
    }
}
