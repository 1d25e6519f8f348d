import IMAPCrateCLI
await IMAPCrate.main()
