from ctx.cli import main

main()
