package synap_test

import (
	"context"
	"fmt"
	"log"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

// What Synap remembers of a user that bears on a question, best first.
func ExampleClient_FetchContext() {
	client, err := synap.NewClient("", synap.WithBaseURL("http://127.0.0.1:8787"))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	got, err := client.FetchContext(context.Background(), synap.ContextRequest{
		Scope:         synap.ScopeUser,
		UserID:        "user_789",
		Queries:       []string{"what does the user drink after 3pm?"},
		ResponseShape: synap.ShapeRanked,
	})
	if err != nil {
		log.Fatal(err)
	}
	for i, item := range got.Ranked {
		if item.Text != nil && item.Score != nil {
			fmt.Printf("%d. %s (%.2f)\n", i+1, *item.Text, *item.Score)
		}
	}
	if got.Retrieval != nil && got.Retrieval.Degraded {
		log.Println("retrieval degraded, the answer may be incomplete:", got.Retrieval.Warnings)
	}
}

// An agent records each turn as it happens, compacts the conversation when
// it grows long, and starts its next prompt from the compacted summary plus
// the turns after it.
func ExampleClient_RecordMessage() {
	client, err := synap.NewClient("", synap.WithBaseURL("http://127.0.0.1:8787"))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
	ctx := context.Background()
	conv := "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"
	for _, m := range []synap.Message{
		{Role: synap.RoleUser, Content: "Any update on my refund?"},
		{Role: synap.RoleAssistant, Content: "It was sent this morning."},
	} {
		m.ConversationID, m.UserID, m.CustomerID = conv, "user_789", "cust_456"
		// Sent once: after a 500 or a dropped connection it may be stored,
		// so libsynap does not resend it, and neither should you blindly.
		if _, err := client.RecordMessage(ctx, m); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := client.Compact(ctx, conv, synap.CompactOptions{Strategy: synap.StrategyBalanced}); err != nil {
		log.Fatal(err)
	}
	for {
		status, err := client.CompactionStatus(ctx, conv)
		if err != nil {
			log.Fatal(err)
		}
		if status.Status != nil && *status.Status != synap.CompactionInProgress {
			break
		}
		time.Sleep(time.Second)
	}
	prompt, err := client.PromptContext(ctx, conv, synap.PromptStructured)
	if err != nil {
		log.Fatal(err)
	}
	if prompt.FormattedContext != nil {
		fmt.Println(*prompt.FormattedContext)
	}
}
