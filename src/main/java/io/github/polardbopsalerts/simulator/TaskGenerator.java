package io.github.polardbopsalerts.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic, seeded data set of maintenance tasks: the first 256 tasks of each region cover every
 * TaskType, Status, ChangeLevel and AllowCancel/AllowChange combination, with deadlines past, inside and
 * outside a 72-hour window; a few tasks have no Deadline. Field names and values follow the
 * DescribeActiveOperationTasks response documented at
 * alibabacloud.com/help/en/polardb/api-polardb-2017-08-01-describeactiveoperationtasks.
 */
public final class TaskGenerator {

    static final String[][] TASK_TYPES = {
        {"DatabaseSoftwareUpgrading", "Database software upgrade", "数据库软件升级"},
        {"DatabaseHardwareMaintenance", "Hardware maintenance", "硬件维护"},
        {"DatabaseStorageUpgrading", "Storage upgrade", "存储升级"},
        {"DatabaseProxyUpgrading", "Proxy upgrade", "代理升级"},
    };
    static final Duration[] DEADLINE_OFFSETS = {
        Duration.ofHours(-2), Duration.ofHours(3), Duration.ofHours(20), Duration.ofHours(50),
        Duration.ofHours(100), Duration.ofDays(12),
    };
    private static final String[] ENGINES = {"MySQL", "PostgreSQL", "Oracle"};
    private static final String[] VERSIONS = {"8.0", "14", "2.0"};

    private final ObjectMapper mapper;

    public TaskGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code perRegion} tasks in each region, TaskIds unique across regions, times relative to {@code now}. */
    public List<ObjectNode> generate(long seed, List<String> regions, int perRegion, Instant now) {
        Random random = new Random(seed);
        Instant base = now.truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> out = new ArrayList<>(regions.size() * perRegion);
        long taskId = 100_000_000L + random.nextInt(1_000_000);
        for (String region : regions) {
            for (int i = 0; i < perRegion; i++) {
                out.add(task(++taskId, region, i, base, random));
            }
        }
        return out;
    }

    private ObjectNode task(long taskId, String region, int i, Instant now, Random random) {
        String[] type = TASK_TYPES[i % 4];
        int status = (i / 4) % 8;
        String level = (i / 32) % 2 == 0 ? "S0" : "S1";
        int allowCancel = (i / 64) % 2;
        int allowChange = (i / 128) % 2;
        int engine = random.nextInt(ENGINES.length);
        Duration offset = DEADLINE_OFFSETS[random.nextInt(DEADLINE_OFFSETS.length)];
        Instant deadline = now.plus(offset);
        Instant switchTime = deadline.minus(Duration.ofHours(1 + random.nextInt(6)));
        String cluster = "pc-" + clusterSuffix(random);

        ObjectNode t = mapper.createObjectNode();
        t.put("TaskId", taskId);
        t.put("Region", region);
        t.put("DBClusterId", cluster);
        t.put("InsComment", new String[] {"orders-prod", "billing", "analytics", "", "user-center"}[i % 5]);
        t.put("DBType", ENGINES[engine]);
        t.put("DBVersion", VERSIONS[engine]);
        t.put("TaskType", type[0]);
        t.put("TaskTypeEn", type[1]);
        t.put("TaskTypeZh", type[2]);
        t.put("ChangeLevel", level);
        t.put("ChangeLevelEn", level.equals("S0") ? "Threat fix" : "System maintenance");
        t.put("ChangeLevelZh", level.equals("S0") ? "风险修复" : "系统运维");
        t.put("Status", status);
        t.put("AllowCancel", Integer.toString(allowCancel));
        t.put("AllowChange", Integer.toString(allowChange));
        t.put("CurrentAVZ", region + "-" + (char) ('a' + random.nextInt(8)));
        t.putArray("DBNodeIds").add("pi-" + Long.toString(taskId, 36) + "1").add("pi-" + Long.toString(taskId, 36) + "2");
        t.put("Impact", "TransientDisconnection");
        t.put("ImpactEn", "Transient disconnection");
        t.put("ImpactZh", "闪断");
        t.put("PrepareInterval", "04:00:00");
        t.put("CreatedTime", time(now.minus(Duration.ofDays(3 + random.nextInt(10)))));
        t.put("ModifiedTime", time(now.minus(Duration.ofHours(1 + random.nextInt(48)))));
        t.put("StartTime", time(switchTime.minus(Duration.ofHours(4))));
        t.put("SwitchTime", time(switchTime));
        t.put("Deadline", i % 97 == 96 ? "" : time(deadline));
        t.put("ResultInfo", status == 6 ? "switch failed, will retry" : "");
        t.put("TaskParams", "{\"targetVersion\":\"" + VERSIONS[engine] + ".latest\"}");
        return t;
    }

    private static String clusterSuffix(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder s = new StringBuilder(16);
        for (int k = 0; k < 16; k++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
