from zonekeeper.cli import main

main()
