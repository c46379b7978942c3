package synap_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

// logLines collects log lines from any number of threads at once.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) add(level synap.LogLevel, message string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, level.String()+" "+message)
}

func (l *logLines) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// with is the lines that contain every one of parts.
func (l *logLines) with(parts ...string) []string {
	var out []string
	for _, line := range l.get() {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(line, p)
		}
		if all {
			out = append(out, line)
		}
	}
	return out
}

// logTo installs a collecting log callback at level until the test ends.
func logTo(t *testing.T, level synap.LogLevel) *logLines {
	t.Helper()
	l := new(logLines)
	if err := synap.SetLogCallback(level, l.add); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := synap.SetLogCallback(0, nil); err != nil {
			t.Error(err)
		}
	})
	return l
}

func TestLogCallbackHearsEachRequest(t *testing.T) {
	lines := logTo(t, synap.LogDebug)
	client := newClient(t)
	_, err := client.MemoryStatus(context.Background(), unknownID)
	e := asError(t, err, synap.ErrNotFound)
	got := lines.with("debug GET /api/v1/memories/status/"+unknownID, "404", "["+e.CorrelationID+"]")
	if len(got) != 1 {
		t.Fatalf("%d lines for the request %s: %q", len(got), e.CorrelationID, lines.get())
	}

	// From many goroutines, and from libsynap's own threads in WaitAll.
	var wg sync.WaitGroup
	ids := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				_, err := client.MemoryStatus(context.Background(), unknownID)
				var e *synap.Error
				if errors.As(err, &e) {
					ids <- e.CorrelationID
				}
			}
		}()
	}
	jobs := []string{job(t, map[string]interface{}{"memories": 1}), job(t, map[string]interface{}{"memories": 1})}
	results, err := client.WaitAll(context.Background(), jobs, synap.WaitAllOptions{Timeout: 10 * time.Second, MaxInFlight: 2})
	if err != nil || results.Counts.Completed != 2 {
		t.Fatalf("%+v %v", results, err)
	}
	wg.Wait()
	close(ids)
	n := 0
	for id := range ids {
		n++
		if got := lines.with("[" + id + "]"); len(got) != 1 {
			t.Errorf("%d lines for the request %s", len(got), id)
		}
	}
	if n != 40 {
		t.Fatalf("%d calls failed with a correlation id, not 40", n)
	}
	for _, id := range jobs {
		if len(lines.with("debug GET /api/v1/memories/status/"+id, "200")) == 0 {
			t.Errorf("no line for WaitAll's poll of %s", id)
		}
	}
	for _, line := range lines.get() {
		if strings.Contains(line, devKey) {
			t.Fatalf("a line holds the API key: %q", line)
		}
	}
}

func TestLogCallbackNeverHearsTheAPIKey(t *testing.T) {
	lines := logTo(t, synap.LogDebug)
	const key = "synap_wrong_key_9f3c2a"
	client, err := synap.NewClient(key, synap.WithBaseURL(emulatorURL), synap.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	_, err = client.MemoryStatus(context.Background(), unknownID)
	e := asError(t, err, synap.ErrAuth)
	if len(lines.with("["+e.CorrelationID+"]")) != 1 {
		t.Fatalf("no line for the request %s: %q", e.CorrelationID, lines.get())
	}
	for _, line := range lines.get() {
		if strings.Contains(line, key) {
			t.Fatalf("a line holds the API key: %q", line)
		}
	}
}

func TestLogCallbackLevelsAndTurningItOff(t *testing.T) {
	client := newClient(t)
	lines := logTo(t, synap.LogInfo)
	client.MemoryStatus(context.Background(), unknownID)
	if got := lines.with("debug "); len(got) != 0 {
		t.Fatalf("debug lines at info level: %q", got)
	}

	lines = logTo(t, synap.LogDebug)
	client.MemoryStatus(context.Background(), unknownID)
	heard := len(lines.get())
	if heard == 0 {
		t.Fatal("no line at debug level")
	}
	if err := synap.SetLogCallback(synap.LogDebug, nil); err != nil {
		t.Fatal(err)
	}
	client.MemoryStatus(context.Background(), unknownID)
	if got := lines.get(); len(got) != heard {
		t.Fatalf("lines after logging was turned off: %q", got[heard:])
	}

	for _, level := range []synap.LogLevel{0, 5, -1} {
		err := synap.SetLogCallback(level, func(synap.LogLevel, string) {})
		if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "log level") {
			t.Errorf("level %d: %#v", level, e)
		}
	}
	if synap.LogDebug.String() != "debug" || synap.LogLevel(9).String() != "LogLevel(9)" {
		t.Fatal(synap.LogDebug.String(), synap.LogLevel(9).String())
	}
}

func TestSetLogCallbackFromInsideTheCallbackIsRefused(t *testing.T) {
	client := newClient(t)
	var mu sync.Mutex
	var refused []error
	replaceFromInside := func(synap.LogLevel, string) {
		err := synap.SetLogCallback(synap.LogDebug, nil)
		mu.Lock()
		refused = append(refused, err)
		mu.Unlock()
	}
	if err := synap.SetLogCallback(synap.LogDebug, replaceFromInside); err != nil {
		t.Fatal(err)
	}
	// Another goroutine replacing the callback meanwhile must not deadlock.
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			synap.SetLogCallback(synap.LogDebug, replaceFromInside)
		}
	}()
	for i := 0; i < 5; i++ {
		client.MemoryStatus(context.Background(), unknownID)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("SetLogCallback did not return")
	}
	if err := synap.SetLogCallback(0, nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(refused) < 5 {
		t.Fatalf("the callback ran %d times for 5 requests", len(refused))
	}
	for _, err := range refused {
		if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "inside a log callback") {
			t.Fatalf("%#v", e)
		}
	}
}

// A panic may not unwind through libsynap, so it ends the program from a
// goroutine of its own; run in a child process.
func TestLogCallbackPanicEndsTheProgram(t *testing.T) {
	if os.Getenv("SYNAP_GO_TEST_LOG_PANIC") == "1" {
		client := newClient(t)
		synap.SetLogCallback(synap.LogDebug, func(synap.LogLevel, string) { panic("from the log") })
		client.MemoryStatus(context.Background(), unknownID)
		time.Sleep(10 * time.Second)
		t.Fatal("still running")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLogCallbackPanicEndsTheProgram$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SYNAP_GO_TEST_LOG_PANIC=1", childEmulatorURL+"="+emulatorURL)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("the child ended with %v:\n%s", err, out)
	}
	if !strings.Contains(string(out), "synap: log callback panicked: from the log") ||
		!strings.Contains(string(out), "log_test.go") {
		t.Fatalf("the child's output:\n%s", out)
	}
}
