from crampcheck.cli import main

main()
