package dev.mos.cli;

import dev.mos.config.LoadedConfig;
import dev.mos.config.MosConfig;
import dev.mos.store.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write a consistent copy of the SQLite store to FILE while servers keep running (SQLite's"
                + " VACUUM INTO). Restore: stop the servers, put the copy in place of <dataDir>/mos.db (removing"
                + " mos.db-wal and mos.db-shm), start again. For PostgreSQL use pg_dump / pg_restore.")
final class BackupCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "FILE", description = "where to write the backup (must not exist)")
    Path target;

    @Override
    public Integer call() {
        LoadedConfig loaded = options.load(Map.of());
        if (loaded == null) {
            return 1;
        }
        MosConfig config = loaded.config();
        if (!"sqlite".equals(config.storage().backend())) {
            System.err.println("mos backup: storage.backend is " + config.storage().backend()
                    + "; only sqlite is backed up by mos (PostgreSQL: pg_dump -Fc, see README)");
            return 2;
        }
        if (Files.exists(target)) {
            System.err.println("mos backup: " + target + " already exists; choose a new file");
            return 2;
        }
        try (Database db = Database.sqlite(Path.of(config.storage().dataDir()),
                config.storage().fsyncEachCommit())) {
            db.backupTo(target.toAbsolutePath());
        }
        System.out.println("backed up " + Path.of(config.storage().dataDir()).resolve("mos.db") + " to " + target);
        return 0;
    }
}
