package org.cgledger.persistence;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.cgledger.core.model.HierarchyId;

/**
 * One stream of the ledger as a persistent actor: a hierarchy's mkdir, rmdir, attach, charge,
 * uncharge and set events, or (for {@link HierarchyId#DEFAULT}) the system stream. It only
 * records: every decision is taken against the whole model before the events reach it, so its
 * state is just the last ledger-wide number it holds. Recovery reads no event (the ledger rebuilds
 * the model from all streams at once); Pekko still recovers the stream's own sequence number.
 */
public final class HierarchyEntity
        extends EventSourcedBehaviorWithEnforcedReplies<HierarchyEntity.Command, JournalEntry, HierarchyEntity.Tail> {

    /** What the entity is asked. */
    public sealed interface Command {
    }

    /** Persist {@code entries} atomically, then reply. */
    public record Append(List<JournalEntry> entries, ActorRef<Appended> replyTo) implements Command {
    }

    /** Reply once started (the journal plugin with it): nothing is written. */
    public record Ready(ActorRef<Tail> replyTo) implements Command {
    }

    /** The entries are durable; {@code lastSeq} is the ledger-wide number of the last one. */
    public record Appended(long lastSeq) {
    }

    /** The last ledger-wide number this stream recorded in this incarnation (0 before any). */
    public record Tail(long lastSeq) implements CgledgerSerializable {
    }

    /** The persistence id of a stream: {@code cgledger-system} or {@code cgledger-hierarchy-N}. */
    public static PersistenceId persistenceId(HierarchyId stream) {
        return PersistenceId.ofUniqueId(name(stream));
    }

    public static String name(HierarchyId stream) {
        return stream.isDefault() ? "cgledger-system" : "cgledger-hierarchy-" + stream.value();
    }

    public static Behavior<Command> create(HierarchyId stream) {
        return new HierarchyEntity(persistenceId(stream));
    }

    /**
     * The stream's entity as the child of an actor that passes it every command and watches it. A
     * write the journal refuses stops the entity without a reply (Pekko's persist failure); then
     * {@code stopped} completes exceptionally with the cause, so that whoever waits for an
     * {@link Appended} learns at once why none will come, rather than at its ask's timeout.
     */
    static Behavior<Command> watched(HierarchyId stream, CompletableFuture<Appended> stopped) {
        return Behaviors.setup(ctx -> {
            ActorRef<Command> entity = ctx.spawn(create(stream), "entity");
            ctx.watch(entity);
            return Behaviors.receive(Command.class)
                    .onMessage(Command.class, c -> {
                        entity.tell(c);
                        return Behaviors.same();
                    })
                    .onSignal(ChildFailed.class, f -> {
                        stopped.completeExceptionally(f.getCause());
                        return Behaviors.stopped();
                    })
                    .onSignal(Terminated.class, t -> {
                        stopped.completeExceptionally(new IllegalStateException("stream " + name(stream) + " stopped"));
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }

    /** The persistence id of {@link #warmup()}: no stream, never written. */
    static final String WARMUP = "cgledger-warmup";

    /**
     * An entity that is never sent anything: starting it starts the journal plugin (Slick and its
     * connection pool) without touching any stream, so a ledger can do that while it recovers.
     */
    static Behavior<Command> warmup() {
        return new HierarchyEntity(PersistenceId.ofUniqueId(WARMUP));
    }

    private HierarchyEntity(PersistenceId id) {
        super(id);
    }

    @Override
    public Tail emptyState() {
        return new Tail(0);
    }

    @Override
    public Recovery recovery() {
        return Recovery.disabled();
    }

    @Override
    public CommandHandlerWithReply<Command, JournalEntry, Tail> commandHandler() {
        return newCommandHandlerWithReplyBuilder()
                .forAnyState()
                .onCommand(Append.class, (tail, append) -> Effect()
                        .persist(append.entries())
                        .thenReply(append.replyTo(), t -> new Appended(t.lastSeq())))
                .onCommand(Ready.class, (tail, ready) -> Effect().reply(ready.replyTo(), tail))
                .build();
    }

    @Override
    public EventHandler<Tail, JournalEntry> eventHandler() {
        return newEventHandlerBuilder()
                .forAnyState()
                .onEvent(JournalEntry.class, (tail, entry) -> new Tail(entry.seq()))
                .build();
    }
}
