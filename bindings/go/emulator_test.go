package synap_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The tests run against the project's emulator, started once for all of
// them: SYNAP_EMULATOR names its binary (tests/go_binding.rs sets it), else
// the one `cargo build` makes.
var emulatorURL string

const devKey = "synap_dev_emulator"

// childEmulatorURL passes the emulator's URL to a child test process
// (log_test.go), which uses it rather than start one of its own: the child
// is ended abruptly, and an emulator it started would be left running.
const childEmulatorURL = "SYNAP_GO_TEST_EMULATOR_URL"

func TestMain(m *testing.M) {
	if url := os.Getenv(childEmulatorURL); url != "" {
		emulatorURL = url
		os.Exit(m.Run())
	}
	binary := os.Getenv("SYNAP_EMULATOR")
	if binary == "" {
		binary = filepath.Join("..", "..", "target", "debug", "synap-emulator")
	}
	cmd := exec.Command(binary, "--port", "0", "--control")
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot start the emulator %s: %v (run `cargo build --workspace`)\n", binary, err)
		os.Exit(2)
	}
	lines := bufio.NewReader(stdout)
	first, err := lines.ReadString('\n')
	if err != nil {
		fmt.Fprintf(os.Stderr, "the emulator printed no base URL: %v\n", err)
		os.Exit(2)
	}
	emulatorURL = strings.TrimSpace(first)
	go io.Copy(io.Discard, lines) // a full pipe would block it
	code := m.Run()
	cmd.Process.Kill()
	cmd.Wait()
	os.Exit(code)
}

// control never goes through a proxy from the environment.
var control = &http.Client{Transport: &http.Transport{Proxy: nil}}

func post(t *testing.T, path string, body interface{}) map[string]interface{} {
	t.Helper()
	data, _ := json.Marshal(body)
	resp, err := control.Post(emulatorURL+path, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("control %s: %v", path, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("control %s refused (%d): %s", path, resp.StatusCode, text)
	}
	var out map[string]interface{}
	json.Unmarshal(text, &out)
	return out
}

// job creates an emulator job from a control spec and returns its id.
func job(t *testing.T, spec map[string]interface{}) string {
	t.Helper()
	return post(t, "/_emulator/jobs", spec)["ingestion_id"].(string)
}

// fault scripts the next count answers to the status of id.
func fault(t *testing.T, id string, count int, f map[string]interface{}) {
	t.Helper()
	post(t, "/_emulator/faults", map[string]interface{}{
		"path": "/api/v1/memories/status/" + id, "count": count, "fault": f,
	})
}

// sent is the emulator's log of the requests to path, oldest first.
func sent(t *testing.T, path string) []map[string]interface{} {
	t.Helper()
	return requestLog(t, "?path="+url.QueryEscape(path))
}

// sentAll is the emulator's log of every request but control ones.
func sentAll(t *testing.T) []map[string]interface{} {
	t.Helper()
	return requestLog(t, "")
}

func requestLog(t *testing.T, query string) []map[string]interface{} {
	t.Helper()
	resp, err := control.Get(emulatorURL + "/_emulator/requests" + query)
	if err != nil {
		t.Fatalf("control requests: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		Requests []map[string]interface{} `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("control requests (%d): %v", resp.StatusCode, err)
	}
	return out.Requests
}

// sentBody is the JSON body of the last request to path.
func sentBody(t *testing.T, path string) map[string]interface{} {
	t.Helper()
	requests := sent(t, path)
	if len(requests) == 0 {
		t.Fatalf("no request to %s", path)
	}
	var body map[string]interface{}
	if err := json.Unmarshal([]byte(requests[len(requests)-1]["body"].(string)), &body); err != nil {
		t.Fatalf("body sent to %s: %v", path, err)
	}
	return body
}

// faultPath scripts the next count answers to any request to path.
func faultPath(t *testing.T, path string, count int, f map[string]interface{}) {
	t.Helper()
	post(t, "/_emulator/faults", map[string]interface{}{"path": path, "count": count, "fault": f})
}

// fastCreates makes jobs from a create finish within a fraction of a second.
func fastCreates(t *testing.T) {
	t.Helper()
	post(t, "/_emulator/config", map[string]interface{}{"create_processing_after_ms": 50, "create_done_after_ms": 200})
}
