/* main.c: the mandat program. */
int mandat_cli(int argc, char **argv);

int main(int argc, char **argv) { return mandat_cli(argc, argv); }
