import IMAPCrateCLI

await IMAPCrate.execute()
