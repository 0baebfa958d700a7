package dev.coord.engine.model;

import java.util.List;

/**
 * A message the store accepted.
 *
 * @param message the message as kept
 * @param deliveredTo each recipient session (or the people), in a few words
 * @param handedOver the locks a handover moved, with their new tokens, held by the receiver now
 * @param notices what the store reported about the sender's locks and missions since its last call
 */
public record SendOutcome(Message message, List<HolderRef> deliveredTo, List<Grant> handedOver, List<Notice> notices) {
    public SendOutcome {
        deliveredTo = List.copyOf(deliveredTo);
        handedOver = List.copyOf(handedOver);
        notices = List.copyOf(notices);
    }
}
