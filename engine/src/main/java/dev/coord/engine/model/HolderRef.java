package dev.coord.engine.model;

/**
 * Who holds something, in the few words a model needs.
 *
 * @param instanceId holder instance id
 * @param task its declared task, or null
 * @param role its declared role, or null
 */
public record HolderRef(String instanceId, String task, String role) {
    public static HolderRef of(String instanceId, Instance instance) {
        return instance == null
                ? new HolderRef(instanceId, null, null)
                : new HolderRef(instanceId, instance.task(), instance.role());
    }
}
