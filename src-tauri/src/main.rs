//! `lectern-desktop [PATH]`: open the site containing PATH, or the last site,
//! or a copy of the sample site.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    lectern_desktop::run();
}
