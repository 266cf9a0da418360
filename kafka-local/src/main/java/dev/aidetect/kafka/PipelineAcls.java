package dev.aidetect.kafka;

import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import dev.aidetect.schemas.Topic;
import dev.aidetect.schemas.Topics;

/**
 * The ACLs of the pipeline on a cluster that denies what no ACL allows: one principal per service, each allowed what
 * the service really does and nothing else. The one place they are written; the secured local broker applies them,
 * and {@code main} prints them as {@code kafka-acls.sh} commands for an operator's cluster. The admin principal
 * (topics, tools) is a super user and needs none.
 *
 * <p>
 * Where each grant comes from (change it with the service):
 * <ul>
 * <li>every service: describe every pipeline and dead-letter topic and its settings ({@code PipelineTopics} checks at
 * start-up that each exists with the pipeline's partition count and settings; the router's {@code IngestRetentionCheck}
 * reads {@code images.ingest}'s retention). Metadata only, never a record. Each writes its own dead-letter topic,
 * {@code deadletters.<service>}.
 * <li>embedder: reads {@code images.ingest} in group {@code aidetect-embedder}; writes {@code images.received},
 * {@code images.embedded}, {@code images.rejected}; creates and writes {@code images.embedded.<encoder id>}, the topics
 * of extra encoders published separately.
 * <li>classifier: reads {@code images.embedded} and the three stage request topics, each channel in its own group
 * {@code aidetect-classifier-<stage>}, and {@code images.ingest} without a group (the claim-check readers assign and
 * seek to an inline image's record); writes the three stage verdict topics and {@code images.rejected}.
 * <li>router (Kafka Streams, application id {@code aidetect-router}, {@code exactly_once_v2}): reads
 * {@code images.received}, {@code images.embedded}, {@code images.rejected}, the stage verdicts and
 * {@code verdicts.final} (read back into its verdict store; its verdict feed reads it in groups
 * {@code aidetect-router-final-stream-<uuid>}); writes {@code verdicts.final}, the stage requests and
 * {@code images.ingest} ({@code POST /images}); owns its internal topics, groups and transactional ids, all prefixed
 * {@code aidetect-router}. It never reads {@code images.ingest}.
 * </ul>
 */
public final class PipelineAcls {
    /** The principals, as a SCRAM user name logs in. */
    public static final String EMBEDDER = "embedder";
    public static final String CLASSIFIER = "classifier";
    public static final String ROUTER = "router";
    /** The super user: the brokers themselves, topic creation, the command line. */
    public static final String ADMIN = "admin";
    public static final List<String> SERVICES = List.of(EMBEDDER, CLASSIFIER, ROUTER);

    private static final String ROUTER_APPLICATION_ID = "aidetect-router";

    /** One rule: {@code principal} may do {@code operation} on the resources {@code type/name} matches. */
    public record Grant(String principal, ResourceType type, PatternType pattern, String name, AclOperation operation) {
        /** The rule as Kafka's binding (principal {@code User:<name>}, from any host). */
        public AclBinding binding() {
            return new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
        }

        /** The rule as a {@code kafka-acls.sh} command line. */
        public String command() {
            String resource = switch (type) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                case TRANSACTIONAL_ID -> "--transactional-id";
                default -> throw new IllegalStateException("no kafka-acls.sh option for " + type);
            };
            return "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties --add"
                    + " --allow-principal User:" + principal + " --operation " + operationName() + " " + resource
                    + " '" + name + "'" + (pattern == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
        }

        private String operationName() {
            return switch (operation) {
                case DESCRIBE_CONFIGS -> "DescribeConfigs";
                default -> operation.name().charAt(0) + operation.name().substring(1).toLowerCase(Locale.ROOT);
            };
        }
    }

    private PipelineAcls() {
    }

    /** Every grant of every service. */
    public static List<Grant> grants() {
        List<Grant> grants = new ArrayList<>();
        List<Topic<String, ?>> pipeline = Topics.allWithDeadLetters();
        for (String service : SERVICES) {
            grants.addAll(topics(service, pipeline, DESCRIBE, DESCRIBE_CONFIGS));
        }
        // Each service writes the records it cannot read to its own dead-letter topic.
        grants.addAll(topics(EMBEDDER, List.of(Topics.EMBEDDER_DEAD_LETTERS), WRITE));
        grants.addAll(topics(CLASSIFIER, List.of(Topics.CLASSIFIER_DEAD_LETTERS), WRITE));
        grants.addAll(topics(ROUTER, List.of(Topics.ROUTER_DEAD_LETTERS), WRITE));

        grants.addAll(topics(EMBEDDER, List.of(Topics.INGEST), READ));
        grants.addAll(topics(EMBEDDER, List.of(Topics.RECEIVED, Topics.EMBEDDED, Topics.REJECTED), WRITE));
        grants.addAll(prefixed(EMBEDDER, ResourceType.TOPIC, Topics.EMBEDDED.name() + ".", CREATE, WRITE, DESCRIBE,
                DESCRIBE_CONFIGS));
        grants.add(new Grant(EMBEDDER, ResourceType.GROUP, PatternType.LITERAL, "aidetect-embedder", READ));

        grants.addAll(
                topics(CLASSIFIER,
                        Stream.<Topic<String, ?>>concat(
                                Stream.of(Topics.EMBEDDED, Topics.FAMILY_REQUESTS, Topics.INGEST),
                                Topics.FAMILIES.stream().map(Topics::attributionRequests)).toList(),
                        READ));
        grants.addAll(topics(CLASSIFIER, List.of(Topics.DETECTION_VERDICTS, Topics.FAMILY_VERDICTS,
                Topics.ATTRIBUTION_VERDICTS, Topics.REJECTED), WRITE));
        grants.addAll(prefixed(CLASSIFIER, ResourceType.GROUP, "aidetect-classifier-", READ));

        grants.addAll(topics(ROUTER, List.of(Topics.RECEIVED, Topics.EMBEDDED, Topics.REJECTED,
                Topics.DETECTION_VERDICTS, Topics.FAMILY_VERDICTS, Topics.ATTRIBUTION_VERDICTS, Topics.FINAL), READ));
        grants.addAll(topics(ROUTER,
                Stream.<Topic<String, ?>>concat(Stream.of(Topics.FINAL, Topics.FAMILY_REQUESTS, Topics.INGEST),
                        Topics.FAMILIES.stream().map(Topics::attributionRequests)).toList(),
                WRITE));
        // Kafka Streams' changelog topics (<application id>-<store>-changelog): made, read back and trimmed by it.
        grants.addAll(prefixed(ROUTER, ResourceType.TOPIC, ROUTER_APPLICATION_ID + "-", CREATE, READ, WRITE, DELETE,
                DESCRIBE, DESCRIBE_CONFIGS));
        grants.addAll(prefixed(ROUTER, ResourceType.GROUP, ROUTER_APPLICATION_ID, READ));
        // exactly_once_v2: one transactional id per stream thread, <application id>-<process id>-<thread>.
        grants.addAll(prefixed(ROUTER, ResourceType.TRANSACTIONAL_ID, ROUTER_APPLICATION_ID + "-", WRITE, DESCRIBE));
        return List.copyOf(grants);
    }

    /** Every grant as Kafka's bindings. */
    public static List<AclBinding> bindings() {
        return grants().stream().map(Grant::binding).toList();
    }

    /** Creates every binding on the cluster {@code admin} talks to (as a super user). Creating one twice is harmless. */
    public static void apply(Admin admin) throws InterruptedException {
        try {
            admin.createAcls(bindings()).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the pipeline's ACLs: " + e.getCause().getMessage()
                    + " (the admin client must log in as a super user of a cluster with an authorizer)", e.getCause());
        }
    }

    private static List<Grant> topics(String principal, List<? extends Topic<String, ?>> topics,
            AclOperation... operations) {
        List<Grant> grants = new ArrayList<>();
        for (Topic<String, ?> topic : topics) {
            for (AclOperation operation : operations) {
                grants.add(new Grant(principal, ResourceType.TOPIC, PatternType.LITERAL, topic.name(), operation));
            }
        }
        return grants;
    }

    private static List<Grant> prefixed(String principal, ResourceType type, String prefix,
            AclOperation... operations) {
        return Stream.of(operations).map(op -> new Grant(principal, type, PatternType.PREFIXED, prefix, op)).toList();
    }

    /** Prints every grant as a {@code kafka-acls.sh} command (an operator's cluster; set BOOTSTRAP first). */
    public static void main(String[] args) {
        grants().forEach(grant -> System.out.println(grant.command()));
    }
}
