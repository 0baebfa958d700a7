package dev.coord.engine.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathPolicyTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private PathPolicy policy;

    @BeforeEach
    void repository() throws IOException {
        root = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
        Files.createDirectories(root.resolve("src/dir"));
        Files.writeString(root.resolve("src/A.java"), "class A {}");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        policy = new PathPolicy(root);
    }

    @Test
    void relativeFile() {
        assertThat(policy.toKey("src/A.java")).isEqualTo("src/A.java");
    }

    @ParameterizedTest
    @ValueSource(strings = {"src/./A.java", "src//A.java", "./src/A.java", "src/dir/../A.java", ".//src///A.java"})
    void spellingsOfOneFileGiveOneKey(String input) {
        assertThat(policy.toKey(input)).isEqualTo("src/A.java");
    }

    @Test
    void absolutePathInsideTheRoot() {
        assertThat(policy.toKey(root.resolve("src/A.java").toString())).isEqualTo("src/A.java");
    }

    @Test
    void existingDirectoryIsADirectoryKeyWithOrWithoutSlash() {
        assertThat(policy.toKey("src")).isEqualTo("src/");
        assertThat(policy.toKey("src/")).isEqualTo("src/");
        assertThat(policy.toKey("src/dir/.")).isEqualTo("src/dir/");
        assertThat(policy.toKey(root.resolve("src") + "/")).isEqualTo("src/");
    }

    @Test
    void trailingSlashOnAnExistingFileGivesTheFileKey() {
        assertThat(policy.toKey("src/A.java/")).isEqualTo("src/A.java");
    }

    @Test
    void fileAndDirectoryThatDoNotExistYet() {
        assertThat(policy.toKey("new/deeper/B.java")).isEqualTo("new/deeper/B.java");
        assertThat(policy.toKey("new/deeper/")).isEqualTo("new/deeper/");
        assertThat(policy.toKey("new/deeper")).isEqualTo("new/deeper");
        assertThat(root.resolve("new")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "./", "src/..", "src/dir/../../", ".//."})
    void wholeRepository(String input) {
        assertThat(policy.toKey(input)).isEqualTo("./");
    }

    @Test
    void rootAbsolutePathIsTheWholeRepository() {
        assertThat(policy.toKey(root.toString())).isEqualTo("./");
        assertThat(policy.toKey(root + "/")).isEqualTo("./");
    }

    @Test
    void namesAreCaseSensitiveWhereTheFileSystemIs() {
        boolean caseInsensitive = Files.exists(root.resolve("SRC/a.JAVA"));

        String upper = policy.toKey("Src/A.java");

        if (caseInsensitive) {
            assertThat(upper).isEqualTo("src/A.java");
        } else {
            assertThat(upper).isEqualTo("Src/A.java").isNotEqualTo(policy.toKey("src/A.java"));
        }
    }

    @Test
    void unicodeNames() throws IOException {
        String name = "src/Ünïcödé/ファイル-😀.java";
        if (!"UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
            assertInvalid(name).hasMessageContaining("UTF-8 locale");
            return;
        }
        assertThat(policy.toKey(name)).isEqualTo(name);
        Files.createDirectories(root.resolve("src/Ünïcödé"));
        Files.writeString(root.resolve(name), "x");
        assertThat(policy.toKey(name)).isEqualTo(name);
        assertThat(policy.toKey("src/Ünïcödé")).isEqualTo("src/Ünïcödé/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankIsRejected(String input) {
        assertInvalid(input).hasMessageContaining("empty");
    }

    @Test
    void nullIsRejected() {
        assertInvalid(null).hasMessageContaining("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b", "src/A.java\n", "a\rb", "a\u001bb", "a\u007fb", "a\u0085b"})
    void controlCharactersAreRejected(String input) {
        assertInvalid(input).hasMessageContaining("control character").hasMessageNotContaining("\0");
    }

    @Test
    void nulIsNamedInTheMessage() {
        assertInvalid("src/a\0.java").hasMessageContaining("'src/a\\u0000.java'");
    }

    @Test
    void lengthLimit() {
        String longest = ("a".repeat(99) + "/").repeat(40) + "b".repeat(96);
        assertThat(longest).hasSize(4096);

        assertThat(policy.toKey(longest)).isEqualTo(longest);
        assertInvalid(longest + "c").hasMessageContaining("4097 characters").hasMessageContaining("shortened");
    }

    @Test
    void segmentLimitIsInBytes() {
        assertThat(policy.toKey("src/" + "n".repeat(255))).isEqualTo("src/" + "n".repeat(255));
        assertInvalid("src/" + "n".repeat(256)).hasMessageContaining("256 bytes");
        assertInvalid("src/" + "é".repeat(128)).hasMessageContaining("256 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"src\\A.java", "C:\\repo\\A.java", "C:/repo/A.java", "c:", "\\\\server\\share\\A.java"})
    void windowsPathsAreRejected(String input) {
        assertInvalid(input).hasMessageContaining("forward slashes").hasMessageContaining(input);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "src/../../x", "../repo-evil/x", "src/dir/../../../repo/../x"})
    void dotDotOutOfTheRootIsRejected(String input) {
        assertInvalid(input).hasMessageContaining("leaves the repository");
    }

    @Test
    void dotDotThatComesBackIntoTheRootIsTheSameFile() {
        assertThat(policy.toKey("../repo/src/A.java")).isEqualTo("src/A.java");
    }

    @Test
    void absolutePathElsewhereIsRejected() {
        assertInvalid("/etc/passwd")
                .hasMessageContaining("'/etc/passwd' is outside the repository " + root)
                .hasMessageNotContaining("symbolic link");
        assertInvalid(outside.resolve("secret.txt").toString()).hasMessageContaining("is outside the repository");
        assertInvalid("/").hasMessageContaining("is outside the repository");
    }

    @Test
    void siblingWithTheRootAsStringPrefixIsRejected() throws IOException {
        Path evil = Files.createDirectories(tmp.resolve("repo-evil"));
        Files.writeString(evil.resolve("x"), "x");

        assertInvalid(evil.resolve("x").toString()).hasMessageContaining("is outside the repository");
        assertInvalid(evil.resolve("new.txt").toString()).hasMessageContaining("is outside the repository");
        assertInvalid(root + "-evil").hasMessageContaining("is outside the repository");
    }

    @ParameterizedTest
    @ValueSource(strings = {".git", ".git/", ".git/config", ".git/hooks/pre-commit", "vendor/lib/.git/HEAD"})
    void gitDataIsRejected(String input) {
        assertInvalid(input).hasMessageContaining(".git");
    }

    @Test
    void namesThatOnlyStartWithDotGitAreAllowed() {
        assertThat(policy.toKey(".gitignore")).isEqualTo(".gitignore");
        assertThat(policy.toKey(".github/workflows/ci.yml")).isEqualTo(".github/workflows/ci.yml");
    }

    @Test
    void linkToTheGitDirIsRejected() throws IOException {
        Files.createDirectories(root.resolve(".git"));
        Files.createSymbolicLink(root.resolve("g"), Path.of(".git"));

        assertInvalid("g/config").hasMessageContaining(".git");
    }

    @Test
    void stateDirInsideTheRootCannotBeLocked() {
        PathPolicy withState = new PathPolicy(root, root.resolve(".claude/coordination"));

        assertInvalid(withState, ".claude/coordination/locks.json").hasMessageContaining("state directory");
        assertInvalid(withState, ".claude/coordination").hasMessageContaining("state directory");
        assertInvalid(withState, ".claude/coordination/").hasMessageContaining("state directory");
        assertInvalid(withState, root + "/.claude/./coordination/x").hasMessageContaining("state directory");
        assertThat(withState.toKey(".claude/settings.json")).isEqualTo(".claude/settings.json");
        assertThat(withState.toKey(".claude/coordination-notes.md")).isEqualTo(".claude/coordination-notes.md");
        assertThat(withState.toKey(".claude/")).isEqualTo(".claude/");
        assertThat(withState.toKey("./")).isEqualTo("./");
    }

    @Test
    void relativeStateDirIsTakenFromTheRoot() {
        PathPolicy withState = new PathPolicy(root, Path.of(".claude/coordination"));

        assertInvalid(withState, ".claude/coordination/locks.json").hasMessageContaining("state directory");
    }

    @Test
    void stateDirOutsideTheRootRestrictsNothing() {
        PathPolicy withState = new PathPolicy(root, tmp.resolve("main/.claude/coordination"));

        assertThat(withState.toKey(".claude/coordination/x")).isEqualTo(".claude/coordination/x");
    }

    @Test
    void stateDirReachedThroughALinkIsStillProtected() throws IOException {
        Path state = Files.createDirectories(root.resolve("state"));
        Files.createSymbolicLink(root.resolve("st"), state);
        PathPolicy withState = new PathPolicy(root, root.resolve("state"));

        assertInvalid(withState, "st/locks.json").hasMessageContaining("state directory");
    }

    @Test
    void stateDirThatIsTheRootIsRefused() {
        assertThatThrownBy(() -> new PathPolicy(root, root))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
    }

    @Test
    void linkInsideTheRepositoryGivesTheTargetKey() throws IOException {
        Files.createSymbolicLink(root.resolve("alias.java"), Path.of("src/A.java"));
        Files.createSymbolicLink(root.resolve("lnk"), root.resolve("src"));

        assertThat(policy.toKey("alias.java")).isEqualTo("src/A.java");
        assertThat(policy.toKey("lnk/A.java")).isEqualTo("src/A.java");
        assertThat(policy.toKey("lnk")).isEqualTo("src/");
        assertThat(policy.toKey("lnk/new/C.java")).isEqualTo("src/new/C.java");
    }

    @Test
    void danglingLinkInsideTheRepositoryGivesItsFutureTarget() throws IOException {
        Files.createSymbolicLink(root.resolve("future.java"), Path.of("src/Future.java"));

        assertThat(policy.toKey("future.java")).isEqualTo("src/Future.java");
    }

    @Test
    void linkedDirectoryEscapingTheRepositoryIsRejected() throws IOException {
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("src/up"), Path.of("../../outside"));

        assertInvalid("out").hasMessageContaining("'out'").hasMessageContaining("through a symbolic link");
        assertInvalid("out/secret.txt")
                .hasMessageContaining(outside.resolve("secret.txt").toString());
        assertInvalid("out/not/yet.txt").hasMessageContaining("through a symbolic link");
        assertInvalid("src/up/secret.txt").hasMessageContaining("through a symbolic link");
        assertInvalid(root.resolve("out/secret.txt").toString()).hasMessageContaining("through a symbolic link");
    }

    @Test
    void linkedFileEscapingTheRepositoryIsRejected() throws IOException {
        Files.createSymbolicLink(root.resolve("pw"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("missing.txt"));

        assertInvalid("pw").hasMessageContaining("through a symbolic link");
        assertInvalid("dangling").hasMessageContaining("through a symbolic link");
    }

    @Test
    void symlinkLoopIsRejected() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertInvalid("a").hasMessageContaining("loop");
            assertInvalid("a/x/y.java").hasMessageContaining("loop");
            assertInvalid("self").hasMessageContaining("loop");
            assertInvalid("src/../self/").hasMessageContaining("loop");
        });
    }

    @Test
    void resolveGivesTheAbsolutePath() {
        assertThat(policy.resolve("src/A.java")).isEqualTo(root.resolve("src/A.java"));
        assertThat(policy.resolve("src/")).isEqualTo(root.resolve("src"));
        assertThat(policy.resolve("./")).isEqualTo(root);
        assertThat(policy.resolve(policy.toKey("src/./A.java"))).isEqualTo(root.resolve("src/A.java"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../x", "/etc/passwd", "a//b", "a/./b", "src/..", ".", "a\0b", ".git/config"})
    void resolveRejectsKeysNotMadeByToKey(String key) {
        assertThatThrownBy(() -> policy.resolve(key))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
    }

    @Test
    void rootIsResolvedToItsRealPath() throws IOException {
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), root);

        PathPolicy viaAlias = new PathPolicy(alias);

        assertThat(viaAlias.root()).isEqualTo(root);
        assertThat(viaAlias.toKey(alias.resolve("src/A.java").toString())).isEqualTo("src/A.java");
        assertThat(viaAlias.toKey(root.resolve("src/A.java").toString())).isEqualTo("src/A.java");
    }

    @Test
    void missingRootIsRefused() {
        assertThatThrownBy(() -> new PathPolicy(tmp.resolve("missing")))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String input) {
        return assertInvalid(policy, input);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(PathPolicy policy, String input) {
        return assertThatThrownBy(() -> policy.toKey(input))
                .isInstanceOfSatisfying(
                        CoordException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
    }
}
