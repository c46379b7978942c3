package synap_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

func TestMain(m *testing.M) {
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
