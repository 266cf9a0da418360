# Sourced by ./mvnw and ./aidetect: use a JDK 25 when JAVA_HOME does not already name one.
# The project compiles for Java 25 (Smile 6 needs it); many machines default to an older java.
aidetect_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(aidetect_java_major "$JAVA_HOME")" != "25" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/java-25-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(aidetect_java_major "$JAVA_HOME")" != "25" ]; then
  echo "aidetect needs JDK 25 (found ${JAVA_HOME:-no JAVA_HOME}); install Temurin 25 and set JAVA_HOME to it" >&2
  exit 1
fi
