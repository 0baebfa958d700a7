@echo off
rem Launcher for coord on Windows: finds Java 17 or newer and runs coord.jar with the JVM options chosen for
rem fast start and low memory. Everything this script says goes to stderr: stdout is the MCP channel.
setlocal
set "HERE=%~dp0"
if not defined COORD_JAR set "COORD_JAR=%HERE%..\server\target\coord.jar"
if not exist "%COORD_JAR%" (
  echo coord: %COORD_JAR% not found; build it with mvnw -B -q -DskipTests package, or set COORD_JAR 1>&2
  exit /b 3
)
set "JAVA_CMD=java"
if defined JAVA_HOME set "JAVA_CMD=%JAVA_HOME%\bin\java.exe"
if defined COORD_JAVA set "JAVA_CMD=%COORD_JAVA%"
"%JAVA_CMD%" -version >nul 2>&1
if errorlevel 1 (
  if defined COORD_JAVA (
    echo coord: COORD_JAVA=%COORD_JAVA% does not run; point it at the java.exe of a Java 17+ install, or unset it 1>&2
  ) else (
    echo coord: no Java found. Install Java 17 or newer, or set JAVA_HOME or COORD_JAVA 1>&2
  )
  exit /b 3
)
set "JAVA_MAJOR="
for /f "tokens=3" %%v in ('"%JAVA_CMD%" -version 2^>^&1 ^| findstr /i "version"') do set "JAVA_MAJOR=%%~v"
for /f "delims=." %%m in ("%JAVA_MAJOR%") do set "JAVA_MAJOR=%%m"
if "%JAVA_MAJOR%"=="" goto run
if %JAVA_MAJOR% LSS 17 (
  echo coord: %JAVA_CMD% is Java %JAVA_MAJOR%; coord needs Java 17 or newer ^(set JAVA_HOME or COORD_JAVA^) 1>&2
  exit /b 3
)
:run
"%JAVA_CMD%" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -Xmx128m -Xlog:disable -Xlog:all=warning:stderr -jar "%COORD_JAR%" %*
exit /b %ERRORLEVEL%
