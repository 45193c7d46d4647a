// hubbub-load: the load generator for Hubbub. Everything lives in the files named
// after their types; `LoadCommand` is where a run starts.
import ArgumentParser

/// Inside an async function `main()` resolves to `AsyncParsableCommand`'s overload;
/// called from top-level code it would resolve to the synchronous one.
func start() async {
    await LoadCommand.main()
}

await start()
