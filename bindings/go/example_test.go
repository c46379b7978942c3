package synap_test

import (
	"context"
	"fmt"
	"log"

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
