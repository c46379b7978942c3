/* What the consumer projects build against an installed libsynap: asks for
 * one job's status and checks it.
 *
 *   check_status ID STATE MEMORIES
 *
 * Reads SYNAP_API_KEY and SYNAP_BASE_URL. Exits 0 if the job has that state
 * and that many memories, 100 if it has not or the header and the library
 * disagree on the version, and the result code if the call fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <synap.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: check_status ID STATE MEMORIES\n");
        return 64;
    }
    if (strcmp(synap_version(), SYNAP_VERSION) != 0) {
        fprintf(stderr, "header %s, library %s\n", SYNAP_VERSION, synap_version());
        return 100;
    }
    SynapClient *client = NULL;
    SynapMemoryStatus *status = NULL;
    SynapCode code = synap_client_new(NULL, NULL, &client);
    if (code == SYNAP_OK) {
        code = synap_memories_status(client, argv[1], &status);
    }
    int result = (int)code;
    if (code == SYNAP_OK) {
        const char *state = synap_status_state_name(status);
        unsigned long long memories = (unsigned long long)synap_status_memories_created(status);
        printf("%s: %s, %llu memories, libsynap %s\n", synap_status_ingestion_id(status), state, memories,
               synap_version());
        int expected = strcmp(state, argv[2]) == 0 && memories == strtoull(argv[3], NULL, 10) &&
                       synap_status_memory_id_count(status) == memories;
        result = expected ? 0 : 100;
    } else {
        fprintf(stderr, "%s: %s\n", synap_code_name(code), synap_last_error_message());
    }
    synap_status_free(status);
    synap_client_free(client);
    return result;
}
