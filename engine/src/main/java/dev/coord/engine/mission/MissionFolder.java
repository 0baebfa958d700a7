package dev.coord.engine.mission;

/** The three folders of a missions root; the folder a file is in is the mission's state. */
public enum MissionFolder {
    QUEUE("queue"),
    ACTIVE("active"),
    DONE("done");

    private final String dirName;

    MissionFolder(String dirName) {
        this.dirName = dirName;
    }

    /** The folder's name under the missions root. */
    public String dirName() {
        return dirName;
    }
}
