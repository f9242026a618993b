from doclane.api.server import main

main()
